import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Title } from '../components/Title.js';
import { useI18n } from '../i18n/index.js';

export function NotFound(): ReactNode {
  const { t } = useI18n();
  return (
    <>
      <Title>{t('notFoundTitle')}</Title>
      <p>{t('notFoundBody')}</p>
      <p>
        <Link to="/">{t('forbiddenHome')}</Link>
      </p>
    </>
  );
}
