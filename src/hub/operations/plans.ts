/**
 * Lanes and versioned sort plans in the database. A plan is never changed: publishing makes version
 * N + 1, checked first (`checkRules`). Lanes are insert-only: a lane a plan named keeps its meaning, so
 * a compiled plan stays valid for as long as its version is the newest.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import { details, OperationError } from './errors.js';
import { checkRules, compilePlan, type CompiledPlan, type Lane, type SortPlanVersion, type SortRule } from './sort-plan.js';

const LANE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const DEPARTURE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Adds lanes not defined yet; refuses a lane defined before with other values. */
export async function defineLanes(db: Kysely<Database>, lanes: readonly Lane[], time: Date = new Date()): Promise<void> {
  for (const [i, lane] of lanes.entries()) {
    const refuse = (name: 'id' | 'departure' | 'carrier', reason: string) => {
      const field = `lanes.${i}.${name}`;
      const value = lane[name];
      return new OperationError('INVALID', `${field}: ${reason}`, [{ field, ...(value !== null && { value }), reason }]);
    };
    if (!LANE_ID.test(lane.id)) throw refuse('id', '1 to 32 letters, digits, "-" or "_"');
    if (lane.departure !== null && !DEPARTURE.test(lane.departure)) throw refuse('departure', 'HH:MM');
    if ((lane.kind === 'outbound') !== (lane.carrier !== null)) throw refuse('carrier', 'an outbound lane, and only it, names a carrier');
  }
  await db.transaction().execute(async (tx) => {
    const existing = await listLanes(tx);
    const fresh = lanes.filter((l) => {
      const old = existing.get(l.id);
      if (old === undefined) return true;
      if (old.kind !== l.kind || old.carrier !== l.carrier || old.service !== l.service || old.departure !== l.departure) {
        const i = lanes.indexOf(l);
        throw new OperationError('CONFLICT', `lane ${l.id} exists with other values; lanes never change (define a new one)`, details([{ field: `lanes.${i}.id`, value: l.id }], 'exists with other values'));
      }
      return false;
    });
    const at = time.toISOString();
    if (fresh.length > 0) await tx.insertInto('lanes').values(fresh.map((l) => ({ ...l, created_at: at }))).execute();
  });
}

export async function listLanes(db: Kysely<Database>): Promise<Map<string, Lane>> {
  const rows = await db.selectFrom('lanes').select(['id', 'kind', 'carrier', 'service', 'departure']).orderBy('id').execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export interface PublishInput {
  readonly rules: readonly SortRule[];
  readonly author: string;
  readonly comment?: string;
  readonly time?: Date;
}

/** Publishes the rules as the next version, or refuses with every reason (`INVALID`, details per rule). */
export async function publishSortPlan(db: Kysely<Database>, input: PublishInput): Promise<SortPlanVersion> {
  const rules = input.rules.map(normaliseRule);
  return db.transaction().execute(async (tx) => {
    const errors = checkRules(rules, await listLanes(tx));
    if (errors.length > 0) throw new OperationError('INVALID', `sort plan refused: ${errors.length} problem(s)`, errors.slice(0, 50));
    const last = await tx.selectFrom('sort_plans').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const row = { version, rules: JSON.stringify(rules), comment: input.comment ?? null, created_by: input.author, created_at: (input.time ?? new Date()).toISOString() };
    // A concurrent publication of the same version fails on the primary key: one of the two wins.
    await tx.insertInto('sort_plans').values(row).execute();
    return toVersion(row);
  });
}

/**
 * Upper-case country and prefix, separators dropped from the prefix (`1000 ab` → `1000AB`). A prefix of
 * separators only stays an (empty) prefix, which `checkRules` refuses: dropped, it would widen its rule to
 * the whole country.
 */
function normaliseRule(rule: SortRule): SortRule {
  const country = typeof rule.country === 'string' ? rule.country.trim().toUpperCase() : rule.country;
  const prefix = typeof rule.postcodePrefix === 'string' ? rule.postcodePrefix.replace(/[\s-]/g, '').toUpperCase() : undefined;
  return prefix === undefined ? { country, lane: rule.lane } : { country, postcodePrefix: prefix, lane: rule.lane };
}

export async function currentSortPlan(db: Kysely<Database>): Promise<SortPlanVersion | undefined> {
  const row = await db.selectFrom('sort_plans').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && toVersion(row);
}

export async function sortPlanVersion(db: Kysely<Database>, version: number): Promise<SortPlanVersion | undefined> {
  const row = await db.selectFrom('sort_plans').selectAll().where('version', '=', version).executeTakeFirst();
  return row && toVersion(row);
}

function toVersion(row: { version: number; rules: string; comment: string | null; created_by: string; created_at: string }): SortPlanVersion {
  return { version: Number(row.version), rules: JSON.parse(row.rules) as SortRule[], createdBy: row.created_by, createdAt: row.created_at, comment: row.comment };
}

/**
 * The newest plan, compiled, kept in memory: each call costs one `max(version)` query, and the plan
 * is compiled again only when another version was published (by this process or another one).
 */
export class SortPlanCache {
  private compiled: CompiledPlan | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  async current(): Promise<CompiledPlan> {
    const last = await this.db.selectFrom('sort_plans').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const version = last?.v === null || last?.v === undefined ? undefined : Number(last.v);
    if (version === undefined) throw new OperationError('NO_SORT_PLAN', 'no sort plan has been published yet');
    if (this.compiled?.version !== version) {
      const plan = await sortPlanVersion(this.db, version);
      if (plan === undefined) throw new OperationError('NO_SORT_PLAN', `sort plan ${version} vanished`);
      this.compiled = compilePlan(version, plan.rules, await listLanes(this.db));
    }
    return this.compiled;
  }
}
