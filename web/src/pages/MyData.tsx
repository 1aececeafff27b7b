import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, request } from '../api.js';
import { DataTable } from '../components/DataTable.js';
import { Problem } from '../components/Problem.js';
import { Title } from '../components/Title.js';
import { useI18n } from '../i18n/index.js';
import { text } from '../text.js';
import { trackingText } from '../i18n/messages.js';
import { pinnedLogKey } from '../ledger/keys.js';
import type { ReceiptBundle } from '../ledger/verify.js';
import { normaliseCode, normalisePostcode, normaliseTrackingNumber } from '../validate.js';

interface Report {
  readonly data: readonly Readonly<Record<string, string>>[];
  readonly parcels: readonly { trackingNumber: string; status: string; flight: string; createdAt: string }[];
  readonly purposes: readonly { purpose: string; legalBasis: string; retention: string }[];
  readonly recipients: readonly { organisation: string; role: string; action: string; purpose: string; time: string }[];
  readonly entries: readonly { index: number; entry: Readonly<Record<string, unknown>> }[];
  readonly receipts: ReceiptBundle;
  readonly pending: readonly number[];
}

type Step = { readonly at: 'ask' } | { readonly at: 'code'; readonly requestId: string } | { readonly at: 'report'; readonly session: string; readonly expiresAt: string; readonly report: Report };

/** GDPR Art. 15 and 17 for parcel recipients: tracking number + postcode → one-time code → their data. */
export default function MyData(): ReactNode {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ at: 'ask' });
  const [error, setError] = useState<Error | null>(null);

  return (
    <>
      <Title>{t('myDataTitle')}</Title>
      <p>{t('myDataIntro')}</p>
      {step.at === 'ask' && <AskCode onSent={(requestId) => setStep({ at: 'code', requestId })} onError={setError} />}
      {step.at === 'code' && (
        <EnterCode
          requestId={step.requestId}
          onError={setError}
          onSession={async (session, expiresAt) => {
            const r = await request<Report>('/api/v1/subject-access/report', { headers: { 'x-subject-session': session } });
            setStep({ at: 'report', session, expiresAt, report: r.data });
          }}
        />
      )}
      {error !== null && <Problem error={error} />}
      {step.at === 'report' && <ReportView session={step.session} expiresAt={step.expiresAt} report={step.report} />}
    </>
  );
}

function AskCode({ onSent, onError }: { readonly onSent: (requestId: string) => void; readonly onError: (e: Error | null) => void }): ReactNode {
  const { t } = useI18n();
  const [tn, setTn] = useState('');
  const [pc, setPc] = useState('');
  const [bad, setBad] = useState<{ tn: boolean; pc: boolean }>({ tn: false, pc: false });
  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const trackingNumber = normaliseTrackingNumber(tn);
    const postcode = normalisePostcode(pc);
    setBad({ tn: trackingNumber === null, pc: postcode === null });
    if (trackingNumber === null || postcode === null) return;
    onError(null);
    try {
      const r = await request<{ requestId: string }>('/api/v1/subject-access/requests', { method: 'POST', body: { trackingNumber, postcode } });
      onSent(r.data.requestId);
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor="sa-tn">{t('trackingNumber')}</label>
      <input id="sa-tn" value={tn} onChange={(e) => setTn(e.target.value)} autoComplete="off" aria-invalid={bad.tn} aria-describedby={bad.tn ? 'sa-tn-error' : undefined} />
      {bad.tn && <p id="sa-tn-error" className="field-error">{t('invalidTrackingNumber')}</p>}
      <label htmlFor="sa-pc">{t('postcode')}</label>
      <input id="sa-pc" value={pc} onChange={(e) => setPc(e.target.value)} autoComplete="postal-code" aria-invalid={bad.pc} aria-describedby={bad.pc ? 'sa-pc-error' : undefined} />
      {bad.pc && <p id="sa-pc-error" className="field-error">{t('postcodeInvalid')}</p>}
      <button type="submit">{t('requestCode')}</button>
    </form>
  );
}

function EnterCode(props: { readonly requestId: string; readonly onSession: (session: string, expiresAt: string) => Promise<void>; readonly onError: (e: Error | null) => void }): ReactNode {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [bad, setBad] = useState(false);
  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const value = normaliseCode(code);
    setBad(value === null);
    if (value === null) return;
    props.onError(null);
    try {
      const r = await request<{ sessionToken: string; expiresAt: string }>('/api/v1/subject-access/sessions', { method: 'POST', body: { requestId: props.requestId, code: value } });
      await props.onSession(r.data.sessionToken, r.data.expiresAt);
    } catch (err) {
      props.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return (
    <>
      <p role="status">{t('codeSent')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="sa-code">{t('code')}</label>
        <input id="sa-code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="one-time-code" inputMode="numeric" aria-invalid={bad} aria-describedby={bad ? 'sa-code-error' : undefined} />
        {bad && <p id="sa-code-error" className="field-error">{t('codeInvalid')}</p>}
        <button type="submit">{t('verifyCode')}</button>
      </form>
    </>
  );
}

type Check = { readonly state: 'checking' } | { readonly state: 'done'; readonly verified: ReadonlySet<number>; readonly size: number; readonly key: string; readonly pinned: boolean } | { readonly state: 'failed'; readonly detail: string };

/** Checks the report's receipts in this browser with the ledger's own code (src/ledger/receipt.ts). */
function useReceiptCheck(bundle: ReceiptBundle): Check {
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  useEffect(() => {
    let live = true;
    (async () => {
      const pinned = pinnedLogKey();
      const key = pinned ?? (await (await fetch('/log/vkey', { credentials: 'omit' })).text()).trim();
      const { checkReceipts } = await import('../ledger/verify.js');
      const result = checkReceipts(bundle, key);
      if (live) setCheck({ state: 'done', verified: result.verified, size: result.size, key: key.split('+')[0] ?? key, pinned: pinned !== null });
    })().catch((err: unknown) => {
      if (live) setCheck({ state: 'failed', detail: err instanceof Error ? err.message : String(err) });
    });
    return () => {
      live = false;
    };
  }, [bundle]);
  return check;
}

function ReportView({ session, expiresAt, report }: { readonly session: string; readonly expiresAt: string; readonly report: Report }): ReactNode {
  const { t, lang } = useI18n();
  const check = useReceiptCheck(report.receipts);
  const pending = new Set(report.pending);
  const time = (iso: string): string => new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const proof = (index: number): ReactNode =>
    pending.has(index) ? (
      t('proofPending')
    ) : check.state === 'done' && check.verified.has(index) ? (
      <span className="ok">
        <span aria-hidden="true">✓ </span>
        {t('proofVerified')}
      </span>
    ) : (
      <span className={check.state === 'checking' ? undefined : 'bad'}>{t('proofNotVerified')}</span>
    );
  return (
    <>
      <p>{t('sessionEnds', { time: time(expiresAt) })}</p>
      <h2>{t('yourData')}</h2>
      {report.data.length === 0 ? (
        <p>{t('dataErased')}</p>
      ) : (
        report.data.map((record, i) => (
          <DataTable
            key={i}
            rows={Object.entries(record)}
            rowKey={([k]) => k}
            columns={[
              { header: t('field'), rowHeader: true, cell: ([k]) => trackingText(lang, 'field', k, k) },
              { header: t('value'), cell: ([, v]) => v },
            ]}
          />
        ))
      )}
      <h2>{t('yourParcels')}</h2>
      <ul>
        {report.parcels.map((p) => (
          <li key={p.trackingNumber}>
            <span translate="no">{p.trackingNumber}</span> — {trackingText(lang, 'status', p.status, p.status)}
          </li>
        ))}
      </ul>
      <h2>{t('purposes')}</h2>
      <DataTable
        rows={report.purposes}
        rowKey={(p) => p.purpose}
        columns={[
          { header: t('purpose'), cell: (p) => p.purpose },
          { header: t('legalBasis'), cell: (p) => p.legalBasis },
          { header: t('retention'), cell: (p) => p.retention },
        ]}
      />
      <h2>{t('recipients')}</h2>
      <DataTable
        rows={report.recipients}
        rowKey={(_, i) => String(i)}
        columns={[
          { header: t('organisation'), cell: (r) => r.organisation },
          { header: t('role'), cell: (r) => r.role },
          { header: t('purpose'), cell: (r) => r.purpose },
          { header: t('colTime'), cell: (r) => time(r.time) },
        ]}
      />
      <h2>{t('accesses')}</h2>
      <p>{t('accessesIntro')}</p>
      <p role="status" data-testid="proof-summary">
        {check.state === 'checking' && t('loading')}
        {check.state === 'failed' && <span className="bad">{t('verifyFailed', { detail: check.detail })}</span>}
        {check.state === 'done' && (
          <>
            {t('verifiedAgainst', { count: check.verified.size, total: report.entries.length, size: check.size, key: check.key })} {check.pinned ? t('keyPinned') : t('keyFromServer')}
          </>
        )}
      </p>
      <DataTable
        rows={report.entries}
        rowKey={({ index }) => String(index)}
        columns={[
          // The header stays unaligned as it always was; only the figures carry "num".
          { header: t('entry'), numeric: true, cell: ({ index }) => index },
          { header: t('colTime'), cell: ({ entry }) => (typeof entry['time'] === 'string' ? time(entry['time']) : '') },
          { header: t('organisation'), cell: ({ entry }) => ((entry['principal'] ?? {}) as { organisation?: string }).organisation ?? text(entry['type']) },
          { header: t('purpose'), cell: ({ entry }) => text(entry['purpose']) },
          { header: t('decision'), cell: ({ entry }) => text(entry['decision']) },
          { header: t('proof'), cell: ({ index }) => proof(index) },
        ]}
      />
      <Erasure session={session} />
    </>
  );
}

function Erasure({ session }: { readonly session: string }): ReactNode {
  const { t } = useI18n();
  const [confirmed, setConfirmed] = useState(false);
  const [done, setDone] = useState<{ ledgerIndex: number; notified: number } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  async function erase(): Promise<void> {
    setError(null);
    try {
      const r = await request<{ ledgerIndex: number; recipients: { notified: boolean }[] }>('/api/v1/subject-access/erasure', { method: 'POST', headers: { 'x-subject-session': session } });
      setDone({ ledgerIndex: r.data.ledgerIndex, notified: r.data.recipients.filter((x) => x.notified).length });
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err : new Error(String(err)));
    }
  }
  return (
    <section aria-labelledby="erasure">
      <h2 id="erasure">{t('erasureTitle')}</h2>
      <p>{t('erasureIntro')}</p>
      {done === null ? (
        <>
          <p>
            <input id="erase-ok" type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> <label htmlFor="erase-ok">{t('erasureConfirm')}</label>
          </p>
          <button type="button" className="danger" disabled={!confirmed} onClick={() => void erase()}>
            {t('erasureButton')}
          </button>
        </>
      ) : (
        <p role="status">{t('erasureDone', { index: done.ledgerIndex, notified: done.notified })}</p>
      )}
      {error !== null && <Problem error={error} />}
    </section>
  );
}
