/**
 * Screening against the EU consolidated list of persons, groups and entities subject to financial
 * sanctions (DG FISMA's "Financial Sanctions Files"). Two formats, the minimal subset screening needs:
 * - CSV (v1.1): `;`-separated, one row per name alias; columns found by header: `Entity_LogicalId`,
 *   `NameAlias_WholeName` (optionally `Entity_SubjectType_ClassificationCode`); rows of one entity share its id.
 * - XML (v1.1): `<sanctionEntity logicalId="…">` elements holding `<nameAlias wholeName="…"/>` aliases.
 * Matching is exact on a normalised name (case, accents, punctuation and word order ignored): a hit is
 * a reason for an officer to look, not a finding. Fuzzy matching is not done (see docs/customs.md).
 */
import { normalisePartyName } from '../../domain/index.js';

export interface SanctionsEntry {
  readonly logicalId: string;
  readonly names: readonly string[];
}

export class SanctionsList {
  private readonly byName = new Map<string, string>();
  constructor(readonly entries: readonly SanctionsEntry[], readonly source: string) {
    for (const e of entries) for (const n of e.names) {
      const key = normalisePartyName(n);
      if (key !== '') this.byName.set(key, e.logicalId);
    }
  }
  get size(): number {
    return this.entries.length;
  }
  /** Every alias in its screening form (what the gate hashes to screen names it does not open). */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The listed entity's logical id for an alias already in screening form. */
  entryOf(normalName: string): string | undefined {
    return this.byName.get(normalName);
  }

  /** The listed entity's logical id when `name` matches one of its aliases. */
  match(name: string): string | undefined {
    return this.byName.get(normalisePartyName(name));
  }
}

export const EMPTY_SANCTIONS = new SanctionsList([], 'none loaded');

function splitCsvLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseSanctionsCsv(text: string, source = 'EU consolidated financial sanctions list (CSV)'): SanctionsList {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '', ';').map((h) => h.trim());
  const idCol = header.indexOf('Entity_LogicalId');
  const nameCol = header.indexOf('NameAlias_WholeName');
  if (idCol < 0 || nameCol < 0) throw new RangeError('sanctions CSV: needs the columns Entity_LogicalId and NameAlias_WholeName (";"-separated)');
  const byId = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line, ';');
    const id = (cells[idCol] ?? '').trim();
    const name = (cells[nameCol] ?? '').trim();
    if (id === '' || name === '') continue;
    byId.set(id, [...(byId.get(id) ?? []), name]);
  }
  return new SanctionsList([...byId].map(([logicalId, names]) => ({ logicalId, names })), source);
}

const decodeXml = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');

export function parseSanctionsXml(text: string, source = 'EU consolidated financial sanctions list (XML)'): SanctionsList {
  const entries: SanctionsEntry[] = [];
  const entity = /<(?:\w+:)?sanctionEntity\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?sanctionEntity>/g;
  for (const m of text.matchAll(entity)) {
    const id = /\blogicalId="([^"]*)"/.exec(m[1]!)?.[1];
    if (id === undefined) continue;
    const names = [...m[2]!.matchAll(/<(?:\w+:)?nameAlias\b[^>]*\bwholeName="([^"]*)"/g)].map((n) => decodeXml(n[1]!)).filter((n) => n.trim() !== '');
    if (names.length > 0) entries.push({ logicalId: id, names });
  }
  if (entries.length === 0 && !/sanctionEntity/.test(text)) throw new RangeError('sanctions XML: no <sanctionEntity> element');
  return new SanctionsList(entries, source);
}

/** By content: XML when it starts with `<`, CSV otherwise. */
export function parseSanctions(text: string): SanctionsList {
  return text.trimStart().startsWith('<') ? parseSanctionsXml(text) : parseSanctionsCsv(text);
}
