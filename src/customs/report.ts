/** Per-flight customs report from the stored clearance rows: per parcel, and totals (JSON, CSV). No personal data. */
import type { Kysely } from 'kysely';
import { formatMoney, parseMoneyOrThrow } from '../domain/index.js';
import type { Database } from '../store/index.js';

export interface ReportParcel {
  readonly trackingNumber: string;
  readonly procedure: string;
  readonly destination: string;
  readonly vatRate: string | null;
  readonly vat: string;
  readonly vatDueAtImport: string;
  readonly duty: string | null;
  readonly intrinsicValueEur: string;
  readonly flags: readonly string[];
}

export interface FlightReport {
  readonly flightId: string;
  readonly dateOfImport: string | null;
  readonly rulesVersion: number | null;
  readonly totals: { readonly parcels: number; readonly h7: number; readonly h1: number; readonly flagged: number; readonly valueEur: string; readonly vatEur: string; readonly vatDueEur: string; readonly dutyEur: string };
  readonly flagsByRule: Readonly<Record<string, number>>;
  readonly parcels: readonly ReportParcel[];
}

const cents = (s: string | null): bigint => (s === null ? 0n : parseMoneyOrThrow(s, 'EUR').minor);
const eur = (minor: bigint): string => formatMoney({ currency: 'EUR', minor });

export async function flightReport(db: Kysely<Database>, flightId: string): Promise<FlightReport> {
  const rows = await db.selectFrom('customs_clearances').selectAll().where('flight_id', '=', flightId).orderBy('tracking_number').execute();
  let value = 0n, vat = 0n, due = 0n, duty = 0n, h7 = 0, flagged = 0;
  const byRule: Record<string, number> = {};
  const parcels = rows.map((r): ReportParcel => {
    value += cents(r.intrinsic_eur);
    vat += cents(r.vat);
    due += cents(r.vat_due);
    duty += cents(r.duty);
    if (r.procedure === 'H7') h7++;
    const flags = r.flag_rules === '' ? [] : r.flag_rules.split(' ');
    if (flags.length > 0) flagged++;
    for (const f of flags) byRule[f] = (byRule[f] ?? 0) + 1;
    return { trackingNumber: r.tracking_number, procedure: r.procedure, destination: r.destination, vatRate: r.vat_rate, vat: r.vat, vatDueAtImport: r.vat_due, duty: r.duty, intrinsicValueEur: r.intrinsic_eur, flags };
  });
  return {
    flightId,
    dateOfImport: rows[0]?.date_of_import ?? null,
    rulesVersion: rows[0]?.rules_version ?? null,
    totals: { parcels: rows.length, h7, h1: rows.length - h7, flagged, valueEur: eur(value), vatEur: eur(vat), vatDueEur: eur(due), dutyEur: eur(duty) },
    flagsByRule: byRule,
    parcels,
  };
}

const cell = (v: string | null): string => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function reportCsv(r: FlightReport): string {
  const head = 'trackingNumber,procedure,destination,vatRate,vat,vatDueAtImport,duty,intrinsicValueEur,flags\n';
  return head + r.parcels.map((p) => [p.trackingNumber, p.procedure, p.destination, p.vatRate, p.vat, p.vatDueAtImport, p.duty, p.intrinsicValueEur, p.flags.join(' ')].map(cell).join(',')).join('\n') + '\n';
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function reportHtml(r: FlightReport): string {
  const t = r.totals;
  const th = (cols: readonly string[]): string => `<tr>${cols.map((c) => `<th scope="col">${c}</th>`).join('')}</tr>`;
  const rules = Object.entries(r.flagsByRule).map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('');
  const flagged = r.parcels.filter((p) => p.flags.length > 0).map((p) => `<tr><th scope="row">${esc(p.trackingNumber)}</th><td>${esc(p.procedure)}</td><td>${esc(p.intrinsicValueEur)}</td><td>${esc(p.flags.join(', '))}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Customs report ${esc(r.flightId)}</title></head><body><main>
<h1>Customs report — flight ${esc(r.flightId)}</h1><p>Date of import ${esc(r.dateOfImport ?? '—')}, rules version ${r.rulesVersion ?? '—'}.</p>
<table><caption>Totals</caption>${th(['parcels', 'H7', 'H1', 'flagged', 'value EUR', 'VAT EUR', 'VAT due at import EUR', 'duty EUR'])}
<tr><td>${t.parcels}</td><td>${t.h7}</td><td>${t.h1}</td><td>${t.flagged}</td><td>${t.valueEur}</td><td>${t.vatEur}</td><td>${t.vatDueEur}</td><td>${t.dutyEur}</td></tr></table>
<h2>Flags by rule</h2><table><caption>Parcels flagged by each rule</caption>${th(['rule', 'parcels'])}${rules}</table>
<h2>Flagged parcels</h2><table><caption>Flagged parcels and their rules (no personal data)</caption>${th(['tracking number', 'procedure', 'value EUR', 'rules'])}${flagged}</table>
</main></body></html>\n`;
}
