import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api.js';
import { DataTable } from '../components/DataTable.js';
import { Loaded } from '../components/Problem.js';
import { Title } from '../components/Title.js';
import { useResource } from '../components/useResource.js';
import { useI18n } from '../i18n/index.js';
import { trackingText } from '../i18n/messages.js';
import { normaliseTrackingNumber } from '../validate.js';

interface Tracking {
  readonly trackingNumber: string;
  readonly status: string;
  readonly statusText: string;
  readonly carrier?: string;
  readonly history: readonly { time: string; step: string; description: string; place: string }[];
}

/** Public tracking (no sign-in, no personal data): GET /track/:tn. */
export function Track(): ReactNode {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const current = params.get('tn');
  const [value, setValue] = useState(current ?? '');
  const [invalid, setInvalid] = useState(false);
  const result = useResource<Tracking>(current === null ? null : `/track/${encodeURIComponent(current)}`);

  function submit(e: FormEvent): void {
    e.preventDefault();
    const tn = normaliseTrackingNumber(value);
    setInvalid(tn === null);
    if (tn !== null) setParams({ tn });
  }

  return (
    <>
      <Title>{t('trackTitle')}</Title>
      <p>{t('trackIntro')}</p>
      <form onSubmit={submit} noValidate className="inline">
        <label htmlFor="tn">{t('trackingNumber')}</label>
        <input id="tn" name="tn" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" spellCheck={false} aria-invalid={invalid} aria-describedby={invalid ? 'tn-error' : undefined} />
        <button type="submit">{t('trackButton')}</button>
        {invalid && (
          <p id="tn-error" className="field-error">
            {t('invalidTrackingNumber')}
          </p>
        )}
      </form>
      {current !== null &&
        (result.status === 'error' && result.error instanceof ApiError && result.error.status === 404 ? (
          <p role="status">{t('trackNotFound')}</p>
        ) : (
          <Loaded resource={result}>{(view) => <TrackingView view={view} />}</Loaded>
        ))}
      <p>
        <Link to="/me/data">{t('myDataTitle')}</Link>
      </p>
    </>
  );
}

function TrackingView({ view }: { readonly view: Tracking }): ReactNode {
  const { t, lang } = useI18n();
  return (
    <section aria-labelledby="tracked">
      <h2 id="tracked" translate="no">
        {view.trackingNumber}
      </h2>
      <p role="status">{t('trackStatus', { status: trackingText(lang, 'status', view.status, view.statusText) })}</p>
      {view.carrier !== undefined && <p>{t('trackCarrier', { carrier: view.carrier })}</p>}
      <DataTable
        caption={t('trackHistory')}
        rows={view.history}
        rowKey={(s, i) => `${s.time}-${i}`}
        empty={<p>{t('trackNoScans')}</p>}
        columns={[
          { header: t('colTime'), cell: (s) => <time dateTime={s.time}>{new Date(s.time).toLocaleString(lang, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' })} UTC</time> },
          { header: t('colWhat'), cell: (s) => trackingText(lang, 'step', s.step, s.description) },
          { header: t('colWhere'), cell: (s) => s.place },
        ]}
      />
    </section>
  );
}
