import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useI18n } from '../i18n/index.js';
import { canOpen, type Section } from '../roles.js';
import { useSession } from '../session.js';

/** Signed in with a role that may open the section, else the sign-in page or the 403 page. */
export function RequireSection({ section, children }: { readonly section: Section; readonly children: ReactNode }): ReactNode {
  const { state } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (state.status === 'loading') return <p aria-busy="true">{t('loading')}</p>;
  if (state.status === 'anonymous') return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!canOpen(state.principal.role, section)) return <Navigate to={`/forbidden?section=${section}`} replace />;
  return children;
}
