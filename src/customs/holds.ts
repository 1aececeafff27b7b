/**
 * Automatic holds at clearance. Parcels raising a flag the rules document lists in `autoHold` (by default a
 * sanctions hit, prohibited goods, incomplete ICS2 data, H1) must not leave the hub without an officer:
 * clearance sets them `held` — the sorter already sends `held` parcels to the hold lane — and records each
 * hold as an officer's hold would be: a `customs_decisions` row (officer = the clearance's principal, the
 * rules in the comment) and an EPCIS ObjectEvent (`holding`, `sellable_not_accessible`,
 * `glasshub:customsDecision` = `held`). One event covers up to 1,000 parcels of a flight (an EPCIS
 * ObjectEvent may list many EPCs; public tracking never shows EPC lists, see hub/operations/tracking.ts):
 * a freighter can have tens of thousands of holds. An officer releases with `decideParcel`.
 *
 * Only parcels still at the hub and not yet decided are held: a parcel an officer has released is not held
 * again by a later clearance of its flight, and held, seized or already dispatched parcels are left alone.
 */
import { randomBytes } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import { objectEvent, s10Epc, type HubEvent } from '../hub/epcis/index.js';
import { recordEvents } from '../hub/events/index.js';
import { hubLocation, localOffset, type HubConfig } from '../hub/operations/index.js';
import { insertWithLiteralsText, type Database } from '../store/index.js';

/** Statuses a hold applies to (as the officer's `hold`, minus `held` itself). */
const HOLDABLE = ['manifested', 'received', 'sorted', 'stored', 'exception'] as const;
const PER_STATEMENT = 1000;
const PER_EVENT = 1000;
const DECISIONS_PER_INSERT = 2048; // × 4 = 8,192 parameters
/** What varies by hold, bound; the rest is the same for every hold of one clearance: literals in the text. */
const DECISION_COLUMNS = ['id', 'tracking_number', 'comment', 'event_id'];

export interface HoldCandidate {
  readonly trackingNumber: string;
  /** The flags that call for the hold (rule names). */
  readonly rules: readonly string[];
}

export interface HoldContext {
  readonly flightId: string;
  readonly officer: string;
  readonly rulesVersion: number;
  readonly config: HubConfig;
  readonly now: Date;
  /** Placeholders `$n` (PostgreSQL) rather than `?` (SQLite). */
  readonly dollar: boolean;
}

/** Holds the candidates that can be held, inside the caller's transaction; answers those held. */
export async function holdParcels(tx: Kysely<Database>, candidates: readonly HoldCandidate[], ctx: HoldContext): Promise<string[]> {
  const at = ctx.now.toISOString();
  const held: string[] = [];
  if (candidates.length === 0) return held;
  // Released by an officer (a decision row carries the parcel's flight): never held again by clearance.
  const released = new Set((await tx.selectFrom('customs_decisions').select('tracking_number').where('flight_id', '=', ctx.flightId).where('decision', '=', 'released').execute()).map((r) => r.tracking_number));
  const todo = released.size === 0 ? candidates : candidates.filter((c) => !released.has(c.trackingNumber));
  const updateTexts = new Map<number, string>();
  for (let i = 0; i < todo.length; i += PER_STATEMENT) {
    const end = Math.min(todo.length, i + PER_STATEMENT);
    let text = updateTexts.get(end - i);
    if (text === undefined) updateTexts.set(end - i, (text = updateText(end - i, ctx.dollar)));
    const params: string[] = new Array<string>(end - i + 1);
    params[0] = at;
    for (let j = i; j < end; j++) params[j - i + 1] = todo[j]!.trackingNumber;
    const res = await tx.executeQuery<{ tracking_number: string }>(CompiledQuery.raw(text, params));
    for (const r of res.rows) held.push(r.tracking_number);
  }
  if (held.length === 0) return held;
  // Candidates come in the flight's order, usually tracking-number order already: sort only when not.
  if (!isSorted(held)) held.sort();
  const why = new Map(candidates.map((c) => [c.trackingNumber, c.rules]));
  const location = hubLocation(ctx.config);
  const offset = localOffset(ctx.config, ctx.now);
  const events: HubEvent[] = [];
  const params: string[] = [];
  // Time-ordered (v7) ids, ascending with the rows in tracking-number order: both indexes of
  // customs_decisions then receive their keys in ascending order (appends, not page splits all over the tree).
  const ids = ascendingUuids(held.length, ctx.now);
  let next = 0;
  const prefix = `automatic hold at clearance (rules v${ctx.rulesVersion}): `;
  for (let i = 0; i < held.length; i += PER_EVENT) {
    const chunk = held.slice(i, i + PER_EVENT);
    const event = objectEvent({
      action: 'OBSERVE',
      bizStep: 'holding',
      disposition: 'sellable_not_accessible',
      readPoint: location,
      bizLocation: location,
      eventTime: ctx.now,
      eventTimeZoneOffset: offset,
      epcList: chunk.map(s10Epc),
      extensions: { customsDecision: 'held' },
    });
    events.push(event);
    for (const tn of chunk) {
      const comment = prefix + (why.get(tn) ?? []).join(', ');
      params.push(ids[next++]!, tn, comment, event.eventID);
    }
  }
  const w = DECISION_COLUMNS.length;
  const constants = [['flight_id', ctx.flightId], ['decision', 'held'], ['officer', ctx.officer], ['decided_at', at]] as const;
  const insertTexts = new Map<number, string>();
  for (let i = 0; i < held.length; i += DECISIONS_PER_INSERT) {
    const n = Math.min(DECISIONS_PER_INSERT, held.length - i);
    let text = insertTexts.get(n);
    if (text === undefined) insertTexts.set(n, (text = insertWithLiteralsText('customs_decisions', DECISION_COLUMNS, constants, n, ctx.dollar)));
    await tx.executeQuery(CompiledQuery.raw(text, params.slice(i * w, (i + n) * w)));
  }
  await recordEvents(tx, events, { recordTime: ctx.now });
  return held;
}

const COUNTER_BITS = 18; // rand_a (12 bits) and the top of rand_b (6 bits)

/**
 * `n` UUIDv7 (RFC 9562) in ascending order without sorting: the time in ms, then a counter in rand_a and
 * the top of rand_b (method 1 of RFC 9562 §6.2; past 2^18 the time moves on by 1 ms), then 56 random bits
 * drawn once per call. Sorting 40,000 random v4 ids cost about 70 ms of a freighter's holds.
 */
export function ascendingUuids(n: number, now: Date): string[] {
  const random = randomBytes(7).toString('hex'); // bytes 9–15
  const tail = `${random.slice(0, 2)}-${random.slice(2)}`;
  const out = new Array<string>(n);
  let prefix = '';
  for (let i = 0; i < n; i++) {
    const counter = i % 2 ** COUNTER_BITS;
    if (counter === 0) {
      const time = (now.getTime() + i / 2 ** COUNTER_BITS).toString(16).padStart(12, '0');
      prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    }
    out[i] = `${prefix}${HEX3[counter >>> 6]}-${HEX2[0x80 | (counter & 0x3f)]}${tail}`;
  }
  return out;
}

const HEX2 = Array.from({ length: 256 }, (_, k) => k.toString(16).padStart(2, '0'));
const HEX3 = Array.from({ length: 4096 }, (_, k) => k.toString(16).padStart(3, '0'));

function updateText(n: number, dollar: boolean): string {
  const ph = (k: number): string => (dollar ? `$${k}` : '?');
  const list = Array.from({ length: n }, (_, k) => ph(k + 2)).join(', ');
  return `update parcels set status = 'held', updated_at = ${ph(1)} where tracking_number in (${list}) and status in (${HOLDABLE.map((s) => `'${s}'`).join(', ')}) returning tracking_number`;
}

function isSorted(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false;
  return true;
}
