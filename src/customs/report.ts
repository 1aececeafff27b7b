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
  const rules = Object.entries(r.flagsByRule).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Customs report ${esc(r.flightId)}</title>
<h1>Customs report — flight ${esc(r.flightId)}</h1><p>Date of import ${esc(r.dateOfImport ?? '—')}, rules version ${r.rulesVersion ?? '—'}.</p>
<table><tr><th>parcels</th><th>H7</th><th>H1</th><th>flagged</th><th>value EUR</th><th>VAT EUR</th><th>VAT due at import EUR</th><th>duty EUR</th></tr>
<tr><td>${t.parcels}</td><td>${t.h7}</td><td>${t.h1}</td><td>${t.flagged}</td><td>${t.valueEur}</td><td>${t.vatEur}</td><td>${t.vatDueEur}</td><td>${t.dutyEur}</td></tr></table>
<h2>Flags by rule</h2><table><tr><th>rule</th><th>parcels</th></tr>${rules}</table></html>\n`;
}
