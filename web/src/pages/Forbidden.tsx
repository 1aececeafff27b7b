import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Title } from '../components/Title.js';
import { useI18n } from '../i18n/index.js';
import { homeFor, rolesFor, type Section } from '../roles.js';
import { useSession } from '../session.js';

const SECTIONS: readonly Section[] = ['ops', 'customs', 'audit', 'admin'];

/** The 403 page: what was refused, to whom, and who may open it. */
export function Forbidden(): ReactNode {
  const { t } = useI18n();
  const { state } = useSession();
  const [params] = useSearchParams();
  const section = SECTIONS.find((s) => s === params.get('section'));
  const role = state.status === 'signed-in' ? state.principal.role : null;
  return (
    <>
      <Title>{t('forbiddenTitle')}</Title>
      <p>{t('forbiddenBody')}</p>
      {role !== null && section !== undefined && <p>{t('forbiddenRole', { role, roles: rolesFor(section).join(', ') })}</p>}
      <p>
        <Link to={role === null ? '/sign-in' : homeFor(role)}>{role === null ? t('signIn') : t('forbiddenHome')}</Link>
      </p>
    </>
  );
}
