import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { request } from '../api.js';
import { DataTable } from '../components/DataTable.js';
import { EntryCheck } from '../components/EntryCheck.js';
import { Loaded, Problem } from '../components/Problem.js';
import { Title } from '../components/Title.js';
import { useResource } from '../components/useResource.js';
import { useI18n, type MessageKey } from '../i18n/index.js';
import { evidenceText, type Flag } from './CustomsQueue.js';

interface OfficerView {
  readonly parcel: { tracking_number: string; flight_id: string; awb: string; status: string; lane: string | null; dest_country: string };
  readonly clearance: { procedure: string; intrinsicValueEur: string | null; vat: string | null; vatDueAtImport: string | null; duty: string | null; rulesVersion: number; flags: readonly Flag[] } | undefined;
  readonly decisions: readonly { id: string; decision: string; comment: string; officer: string; decidedAt: string; eventId: string }[];
  readonly consignee: Readonly<Record<string, string>>;
  readonly receipt: { ledgerIndex: number; policy: string; rules: readonly string[]; deniedFields: readonly string[] };
}

const ACTIONS = ['hold', 'inspect', 'release', 'seize'] as const;
type Action = (typeof ACTIONS)[number];

/** One parcel for an officer; the consignee is read through the gate, and the page shows that read's receipt. */
export default function CustomsParcel(): ReactNode {
  const { t } = useI18n();
  const tn = useParams()['tn'] ?? '';
  const view = useResource<OfficerView>(`/api/v1/customs/parcels/${encodeURIComponent(tn)}`);
  return (
    <>
      <Title>{t('parcelTitle', { tn })}</Title>
      <p>
        <Link to="/customs">{t('flaggedQueue')}</Link>
      </p>
      <Loaded resource={view}>
        {(v) => (
          <>
            <section aria-labelledby="receipt" className="notice">
              <h2 id="receipt">{t('receipt')}</h2>
              <p data-testid="receipt">
                {t('receiptText', { entry: t('ledgerEntry', { index: v.receipt.ledgerIndex }), policy: v.receipt.policy.slice(0, 16), rules: v.receipt.rules.join(', ') })}
              </p>
              {v.receipt.deniedFields.length > 0 && <p>{t('deniedFields', { fields: v.receipt.deniedFields.join(', ') })}</p>}
              <EntryCheck index={v.receipt.ledgerIndex} />
            </section>
            <div className="grid">
              <section aria-labelledby="clearance">
                <h2 id="clearance">{t('clearance')}</h2>
                <dl className="facts">
                  <dt>{t('filterFlight')}</dt>
                  <dd>
                    <Link to={`/customs/flights/${encodeURIComponent(v.parcel.flight_id)}`}>{v.parcel.flight_id}</Link>
                  </dd>
                  <dt>AWB</dt>
                  <dd>{v.parcel.awb}</dd>
                  <dt>{t('status')}</dt>
                  <dd>{v.parcel.status}</dd>
                  {v.clearance && (
                    <>
                      <dt>{t('procedure')}</dt>
                      <dd>{v.clearance.procedure}</dd>
                      <dt>{t('valueEur')}</dt>
                      <dd>{v.clearance.intrinsicValueEur ?? '—'}</dd>
                      <dt>{t('vat')}</dt>
                      <dd>{v.clearance.vat ?? '—'}</dd>
                      <dt>{t('duty')}</dt>
                      <dd>{v.clearance.duty ?? '—'}</dd>
                    </>
                  )}
                </dl>
                {v.clearance && v.clearance.flags.length > 0 && (
                  <>
                    <h3>{t('evidence')}</h3>
                    <ul>
                      {v.clearance.flags.map((f, i) => (
                        <li key={i}>
                          <strong>{f.rule}</strong>: {evidenceText(f.evidence)}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </section>
              <section aria-labelledby="consignee">
                <h2 id="consignee">{t('consignee')}</h2>
                <dl className="facts">
                  {Object.entries(v.consignee).map(([k, val]) => (
                    <div key={k} className="contents">
                      <dt>{k}</dt>
                      <dd>{val}</dd>
                    </div>
                  ))}
                </dl>
              </section>
            </div>
            <Decisions tn={tn} decisions={v.decisions} onDecided={view.reload} />
          </>
        )}
      </Loaded>
    </>
  );
}

function Decisions({ tn, decisions, onDecided }: { readonly tn: string; readonly decisions: OfficerView['decisions']; readonly onDecided: () => void }): ReactNode {
  const { t } = useI18n();
  const [action, setAction] = useState<Action>('hold');
  const [comment, setComment] = useState('');
  const [bad, setBad] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBad(comment.trim() === '');
    if (comment.trim() === '') return;
    setError(null);
    try {
      await request(`/api/v1/customs/parcels/${encodeURIComponent(tn)}/decisions`, { method: 'POST', body: { action, comment: comment.trim() } });
      setComment('');
      onDecided();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return (
    <section aria-labelledby="decisions">
      <h2 id="decisions">{t('decisions')}</h2>
      <DataTable
        rows={decisions}
        rowKey={(d) => d.id}
        empty={null}
        columns={[
          { header: t('colTime'), cell: (d) => d.decidedAt.slice(0, 19).replace('T', ' ') },
          { header: t('decision'), cell: (d) => d.decision },
          { header: t('officer'), cell: (d) => d.officer },
          { header: t('comment'), cell: (d) => d.comment },
        ]}
      />
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>{t('decision')}</legend>
          {ACTIONS.map((a) => (
            <span key={a} className="radio">
              <input type="radio" id={`action-${a}`} name="action" value={a} checked={action === a} onChange={() => setAction(a)} /> <label htmlFor={`action-${a}`}>{t(a satisfies MessageKey)}</label>{' '}
            </span>
          ))}
        </fieldset>
        <label htmlFor="comment">{t('comment')}</label>
        <textarea id="comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} aria-invalid={bad} aria-describedby={bad ? 'comment-error' : undefined} />
        {bad && <p id="comment-error" className="field-error">{t('commentRequired')}</p>}
        <button type="submit">{t('decide')}</button>
      </form>
      {error !== null && <Problem error={error} />}
    </section>
  );
}
