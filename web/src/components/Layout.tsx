import { useEffect, useRef, type ReactNode } from 'react';
import { NavigationType, NavLink, Outlet, useLocation, useNavigate, useNavigationType } from 'react-router';
import { LANGUAGES, LANGUAGE_NAMES, useI18n, type Language, type MessageKey } from '../i18n/index.js';
import { sectionsFor, type Section } from '../roles.js';
import { useSession } from '../session.js';

const SECTION_LABEL: Readonly<Record<Section, MessageKey>> = { ops: 'navOps', customs: 'navCustoms', audit: 'navAudit', admin: 'navAdmin' };

export function Layout(): ReactNode {
  const { t, lang, setLang } = useI18n();
  const { state, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const navigationType = useNavigationType();
  const first = useRef(true);

  // After a link or back/forward, move focus to the new page (as a page load would) for keyboard and screen-reader
  // users; not on the first render nor on redirects (REPLACE), which are part of loading the page.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (navigationType !== NavigationType.Replace) main.current?.focus();
  }, [location.pathname, navigationType]);

  const sections = state.status === 'signed-in' ? sectionsFor(state.principal.role) : [];
  return (
    <>
      <a className="skip" href="#content">
        {t('skipToContent')}
      </a>
      <header className="top">
        <span className="brand">{t('appName')}</span>
        <nav aria-label={t('mainNavigation')}>
          <ul>
            {sections.map((s) => (
              <li key={s}>
                <NavLink to={`/${s}`}>{t(SECTION_LABEL[s])}</NavLink>
              </li>
            ))}
            <li>
              <NavLink to="/me" end>
                {t('navTrack')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/me/data">{t('navMyData')}</NavLink>
            </li>
          </ul>
        </nav>
        <div className="tools">
          <label>
            {t('language')}{' '}
            <select value={lang} onChange={(e) => setLang(e.target.value as Language)}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
          {state.status === 'signed-in' ? (
            <>
              <span className="who">{t('signedInAs', { name: state.principal.name, role: state.principal.role })}</span>
              <button type="button" onClick={() => void signOut().then(() => navigate('/sign-in'))}>
                {t('signOut')}
              </button>
            </>
          ) : (
            state.status === 'anonymous' && <NavLink to="/sign-in">{t('signIn')}</NavLink>
          )}
        </div>
      </header>
      <main id="content" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
