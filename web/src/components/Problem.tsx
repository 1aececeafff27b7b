import type { ReactNode } from 'react';
import { ApiError } from '../api.js';
import { useI18n } from '../i18n/index.js';
import type { Resource } from './useResource.js';

/** An error as the server stated it (code and detail), and where a refusal is in the ledger. */
export function Problem({ error }: { readonly error: Error }): ReactNode {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND' && error.message.startsWith('no route')) {
    return <p className="notice">{t('notAvailable', { detail: error.message })}</p>;
  }
  const where = error instanceof ApiError && error.ledgerIndex !== null ? ` (${t('ledgerEntry', { index: error.ledgerIndex })})` : '';
  return (
    <p className="error" role="alert">
      {t('error', { detail: `${error instanceof ApiError ? `${error.code}: ` : ''}${error.message}${where}` })}
    </p>
  );
}

/** Loading, error, or the content built from the data. */
export function Loaded<T>({ resource, children }: { readonly resource: Resource<T>; readonly children: (data: T) => ReactNode }): ReactNode {
  const { t } = useI18n();
  if (resource.status === 'loading') return <p aria-busy="true">{t('loading')}</p>;
  if (resource.status === 'error') return <Problem error={resource.error} />;
  return children(resource.data);
}
