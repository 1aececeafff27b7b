import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useI18n } from '../i18n/index.js';
import { canOpen, type Section } from '../roles.js';
import { useSession } from '../session.js';

/**
 * Signed in with a role that may open the section, else the sign-in page or the 403 page. The sign-in page
 * leads back here (`?next=`) after an expiry or a link followed while signed out, but not after a sign-out:
 * the next person at a shared desk should not land on the page the last one had open.
 */
export function RequireSection({ section, children }: { readonly section: Section; readonly children: ReactNode }): ReactNode {
  const { state } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (state.status === 'loading') return <p aria-busy="true">{t('loading')}</p>;
  if (state.status === 'anonymous') return <Navigate to={state.signedOut ? '/sign-in' : `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!canOpen(state.principal.role, section)) return <Navigate to={`/forbidden?section=${section}`} replace />;
  return children;
}
