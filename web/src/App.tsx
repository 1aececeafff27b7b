import { Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { lazyPage, type LazyPage } from './components/lazyPage.js';
import { Layout } from './components/Layout.js';
import { Providers } from './components/Providers.js';
import { RequireSection } from './components/RequireSection.js';
import { useI18n } from './i18n/index.js';
import { Forbidden } from './pages/Forbidden.js';
import { NotFound } from './pages/NotFound.js';
import { SignIn } from './pages/SignIn.js';
import { Track } from './pages/Track.js';
import { homeFor } from './roles.js';
import { useSession } from './session.js';

// Each section is its own chunk: the first page loads only what it shows.
const MyData = lazyPage(() => import('./pages/MyData.js'));
const Ops = lazyPage(() => import('./pages/Ops.js'));
const CustomsQueue = lazyPage(() => import('./pages/CustomsQueue.js'));
const CustomsParcel = lazyPage(() => import('./pages/CustomsParcel.js'));
const CustomsFlight = lazyPage(() => import('./pages/CustomsFlight.js'));
const Audit = lazyPage(() => import('./pages/Audit.js'));
const Admin = lazyPage(() => import('./pages/Admin.js'));

// The first page's chunk is fetched at once, alongside the session check, not after it (one round trip less).
const FIRST: Readonly<Record<string, LazyPage>> = { ops: Ops, customs: CustomsQueue, audit: Audit, admin: Admin };
const path = window.location.pathname;
const first = path.startsWith('/me/data') ? MyData : path.startsWith('/customs/parcels/') ? CustomsParcel : path.startsWith('/customs/flights/') ? CustomsFlight : FIRST[Object.hasOwn(FIRST, path.split('/')[1] ?? '') ? (path.split('/')[1] ?? '') : ''];
void first?.preload();

function Home(): ReactNode {
  const { state } = useSession();
  const { t } = useI18n();
  if (state.status === 'loading') return <p aria-busy="true">{t('loading')}</p>;
  return <Navigate to={state.status === 'signed-in' ? homeFor(state.principal.role) : '/me'} replace />;
}

function Lazy({ children }: { readonly children: ReactNode }): ReactNode {
  const { t } = useI18n();
  return <Suspense fallback={<p aria-busy="true">{t('loading')}</p>}>{children}</Suspense>;
}

export function App(): ReactNode {
  return (
    <Providers>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Home />} />
          <Route path="sign-in" element={<SignIn />} />
          <Route path="forbidden" element={<Forbidden />} />
          <Route path="me" element={<Track />} />
          <Route path="me/data" element={<Lazy><MyData /></Lazy>} />
          <Route path="ops" element={<RequireSection section="ops"><Lazy><Ops /></Lazy></RequireSection>} />
          <Route path="customs" element={<RequireSection section="customs"><Lazy><CustomsQueue /></Lazy></RequireSection>} />
          <Route path="customs/parcels/:tn" element={<RequireSection section="customs"><Lazy><CustomsParcel /></Lazy></RequireSection>} />
          <Route path="customs/flights/:flight" element={<RequireSection section="customs"><Lazy><CustomsFlight /></Lazy></RequireSection>} />
          <Route path="audit" element={<RequireSection section="audit"><Lazy><Audit /></Lazy></RequireSection>} />
          <Route path="admin" element={<RequireSection section="admin"><Lazy><Admin /></Lazy></RequireSection>} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Providers>
  );
}
