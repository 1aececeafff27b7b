import { useState, type FormEvent, type ReactNode } from 'react';
import { request } from '../api.js';
import { DataTable } from '../components/DataTable.js';
import { diffLines } from '../components/diff.js';
import { Loaded, Problem } from '../components/Problem.js';
import { Title } from '../components/Title.js';
import { useResource } from '../components/useResource.js';
import { useI18n } from '../i18n/index.js';
import { ROLES, type Role } from '../roles.js';

interface PrincipalRow {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly organisation: string;
  readonly country: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}
interface Policies {
  readonly current: string;
  readonly policies: readonly { hash: string; ledgerIndex: number; publishedAt: string; text: string }[];
}
interface SortPlan {
  readonly version: number;
  readonly rules: readonly { country: string; postcodePrefix?: string | null; lane: string }[];
}

export default function Admin(): ReactNode {
  const { t } = useI18n();
  return (
    <>
      <Title>{t('adminTitle')}</Title>
      <Principals />
      <PolicyVersions />
      <SortPlanView />
    </>
  );
}

function Principals(): ReactNode {
  const { t } = useI18n();
  const list = useResource<{ principals: PrincipalRow[] }>('/api/v1/admin/principals');
  const [issued, setIssued] = useState<{ name: string; token: string; ledgerIndex: number } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [form, setForm] = useState<{ name: string; role: Role; organisation: string; country: string }>({ name: '', role: 'supervisor', organisation: '', country: 'BE' });

  async function act<T>(run: () => Promise<T>): Promise<T | undefined> {
    setError(null);
    try {
      return await run();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      return undefined;
    } finally {
      list.reload();
    }
  }
  async function add(e: FormEvent): Promise<void> {
    e.preventDefault();
    const r = await act(() => request<{ token: string; ledgerIndex: number }>('/api/v1/admin/principals', { method: 'POST', body: form }));
    if (r) setIssued({ name: form.name, token: r.data.token, ledgerIndex: r.data.ledgerIndex });
  }
  async function token(p: PrincipalRow): Promise<void> {
    const r = await act(() => request<{ token: string; ledgerIndex: number }>(`/api/v1/admin/principals/${encodeURIComponent(p.id)}/tokens`, { method: 'POST', body: {} }));
    if (r) setIssued({ name: p.name, token: r.data.token, ledgerIndex: r.data.ledgerIndex });
  }
  async function revoke(p: PrincipalRow): Promise<void> {
    await act(() => request(`/api/v1/admin/principals/${encodeURIComponent(p.id)}/revoke`, { method: 'POST', body: {} }));
  }

  return (
    <section aria-labelledby="principals">
      <h2 id="principals">{t('principals')}</h2>
      {issued !== null && (
        <p role="status" className="notice">
          {t('tokenOnce', { name: issued.name, token: '' })}
          <code className="mono" data-testid="issued-token">
            {issued.token}
          </code>{' '}
          ({t('ledgerEntry', { index: issued.ledgerIndex })})
        </p>
      )}
      {error !== null && <Problem error={error} />}
      <Loaded resource={list}>
        {({ principals }) => (
          <DataTable
            rows={principals}
            rowKey={(p) => p.id}
            columns={[
              { header: t('name'), rowHeader: true, cell: (p) => p.name },
              { header: t('role'), cell: (p) => p.role },
              { header: t('organisation'), cell: (p) => p.organisation },
              { header: t('country'), cell: (p) => p.country },
              { header: t('created'), cell: (p) => p.createdAt.slice(0, 10) },
              { header: t('revoked'), cell: (p) => p.revokedAt?.slice(0, 10) ?? '—' },
              {
                header: <span className="visually-hidden">{t('action')}</span>,
                cell: (p) =>
                  p.revokedAt === null && (
                    <>
                      <button type="button" className="secondary" onClick={() => void token(p)} aria-label={`${t('newToken')}: ${p.name}`}>
                        {t('newToken')}
                      </button>{' '}
                      <button type="button" className="danger" onClick={() => void revoke(p)} aria-label={`${t('revoke')}: ${p.name}`}>
                        {t('revoke')}
                      </button>
                    </>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      <form onSubmit={(e) => void add(e)}>
        <fieldset>
          <legend>{t('addPrincipal')}</legend>
          <label htmlFor="p-name">{t('name')}</label>
          <input id="p-name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          <label htmlFor="p-role">{t('role')}</label>
          <select id="p-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <label htmlFor="p-org">{t('organisation')}</label>
          <input id="p-org" required pattern="[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?" value={form.organisation} onChange={(e) => setForm({ ...form, organisation: e.target.value })} />
          <label htmlFor="p-country">{t('country')}</label>
          <input id="p-country" required pattern="[A-Z]{2}" maxLength={2} value={form.country} onChange={(e) => setForm({ ...form, country: e.target.value.toUpperCase() })} />
          <button type="submit">{t('addPrincipal')}</button>
        </fieldset>
      </form>
    </section>
  );
}

function PolicyVersions(): ReactNode {
  const { t } = useI18n();
  const policies = useResource<Policies>('/api/v1/admin/policies');
  return (
    <section aria-labelledby="policy">
      <h2 id="policy">{t('policy')}</h2>
      <Loaded resource={policies}>
        {({ current, policies: versions }) => {
          const [now, before] = versions;
          return (
            <>
              <p>
                {t('policy')}: <span className="mono">{current}</span>
              </p>
              <DataTable
                caption={t('policyVersions')}
                rows={versions}
                rowKey={(v) => v.hash}
                columns={[
                  { header: 'SHA-256', cellProps: { className: 'mono' }, cell: (v) => `${v.hash.slice(0, 16)}…` },
                  { header: t('date'), cell: (v) => v.publishedAt.slice(0, 16).replace('T', ' ') },
                  { header: t('entry'), numeric: true, cell: (v) => v.ledgerIndex },
                ]}
              />
              {now !== undefined && before !== undefined && (
                <>
                  <h3>{t('policyDiff')}</h3>
                  <pre data-testid="policy-diff">
                    {diffLines(before.text, now.text)
                      .filter((l) => l.kind !== 'same')
                      .map((l, i) => (
                        <div key={i} className={l.kind === 'add' ? 'diff-add' : 'diff-del'}>
                          {l.text}
                        </div>
                      ))}
                  </pre>
                </>
              )}
              {now !== undefined && (
                <details>
                  <summary>{t('policy')} (Cedar)</summary>
                  <pre>{now.text}</pre>
                </details>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function SortPlanView(): ReactNode {
  const { t } = useI18n();
  const plan = useResource<SortPlan>('/api/v1/admin/sort-plan');
  return (
    <section aria-labelledby="sortplan">
      <h2 id="sortplan">{t('sortPlan')}</h2>
      <Loaded resource={plan}>
        {(p) => (
          <DataTable
            caption={`${t('version')} ${p.version} (${p.rules.length})`}
            rows={p.rules.slice(0, 500)}
            rowKey={(_, i) => String(i)}
            columns={[
              { header: t('country'), cell: (r) => r.country },
              { header: t('postcodePrefix'), cell: (r) => r.postcodePrefix ?? '—' },
              { header: t('lane'), cell: (r) => r.lane },
            ]}
          />
        )}
      </Loaded>
    </section>
  );
}
