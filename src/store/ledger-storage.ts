import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { LedgerError } from '../ledger/errors.js';
import type { EntryCompanion, IntegrationWrite, LogHead, LogStorage, StoredCheckpoint, StoredTile } from '../ledger/storage.js';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

/**
 * Rows that name a ledger entry by its index, written in the transaction that commits the entry, so that
 * neither exists without the other.
 */
export type LedgerCompanion =
  /** The gate's access index: the entry is a decision about the people with these pseudonymous tags. */
  | { readonly kind: 'access-index'; readonly tags: readonly string[] }
  /** The entry publishes this policy version. */
  | { readonly kind: 'policy'; readonly hash: string; readonly text: string; readonly publishedAt: string }
  /** The entry is a screening decision over this scope (e.g. `flight:<id>`). */
  | { readonly kind: 'screening'; readonly scope: string; readonly at: string };

/** Ledger entries per period of the access index (migration 011): a batch's rows stay on a few pages. */
export const ACCESS_INDEX_PERIOD = 4096;

/**
 * All access-index rows of a batch in one statement of fixed text (one prepared statement, whatever the
 * batch size): the rows travel as one JSON parameter on SQLite, as two arrays on PostgreSQL.
 */
const ACCESS_INDEX_SQL = {
  sqlite: `insert into gate_access_index (period, tag, ledger_index)
    select json_extract(value, '$[1]') / ${ACCESS_INDEX_PERIOD}, json_extract(value, '$[0]'), json_extract(value, '$[1]') from json_each(?) where true
    on conflict do nothing`,
  postgres: `insert into gate_access_index (period, tag, ledger_index)
    select i / ${ACCESS_INDEX_PERIOD}, t, i from unnest($1::text[], $2::bigint[]) as u(t, i)
    on conflict do nothing`,
} as const;

/** The ledger's storage on either store; one row per tile, partial tiles grow in place until full. */
export class KyselyLogStorage implements LogStorage<LedgerCompanion> {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** One database can hold several logs (one per hub and period); rows are keyed by the log's origin. */
    private readonly log: string,
    /** Set for the view `exclusive` hands out: its transaction, already holding the log's lock. */
    private readonly locked?: Transaction<Database>,
  ) {}

  exclusive<T>(work: (locked: KyselyLogStorage) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await this.lock(tx);
      return work(new KyselyLogStorage(tx, this.dialect, this.log, tx));
    });
  }

  /** Serialises writers of this log until the transaction ends; answers the stored size (undefined: no log yet). */
  private async lock(tx: Transaction<Database>): Promise<number | undefined> {
    // SQLite: take the write lock before reading, or another process's commit in between fails the upgrade at once (SQLITE_BUSY).
    if (this.dialect === 'sqlite') await tx.executeQuery(CompiledQuery.raw('update log_state set size = size where log = ?', [this.log]));
    // Serialise writers: on PostgreSQL the row lock holds other processes until this one commits.
    let q = tx.selectFrom('log_state').select('size').where('log', '=', this.log);
    if (this.dialect === 'postgres') q = q.forUpdate();
    const current = await q.executeTakeFirst();
    return current ? Number(current.size) : undefined;
  }

  async readHead(): Promise<LogHead | undefined> {
    const row = await this.db
      .selectFrom('log_state')
      .select(['size', 'root_hash'])
      .where('log', '=', this.log)
      .executeTakeFirst();
    return row && { size: Number(row.size), rootHash: Buffer.from(row.root_hash) };
  }

  async readTile(level: number, index: number): Promise<StoredTile | undefined> {
    // SQL text built once: a cold proof server or an auditor's download reads thousands of tiles, and
    // Kysely's builder costs more per query than SQLite's lookup.
    if (level < 0) {
      const { rows } = await this.db.executeQuery<{ width: number; data: Uint8Array }>(CompiledQuery.raw((this.bundleSql ??= this.bundleQuery()), [this.log, index]));
      const row = rows[0];
      return row && { level, index, width: Number(row.width), data: Buffer.from(row.data) };
    }
    const { rows } = await this.db.executeQuery<{ width: number; data: Uint8Array; interior: Uint8Array | null }>(
      CompiledQuery.raw((this.tileSql ??= this.tileQuery()), [this.log, level, index]),
    );
    const row = rows[0];
    if (!row) return undefined;
    const tile = { level, index, width: Number(row.width), data: Buffer.from(row.data) };
    return row.interior === null ? tile : { ...tile, interior: Buffer.from(row.interior) };
  }

  private tileSql?: string;
  private bundleSql?: string;
  /** Placeholders in the order of `readTile`'s parameters: log, level, idx. */
  private tileQuery(): string {
    return this.db.selectFrom('log_tiles').select(['width', 'data', 'interior']).where('log', '=', '').where('level', '=', 0).where('idx', '=', 0).compile().sql;
  }
  /** Placeholders: log, idx. */
  private bundleQuery(): string {
    return this.db.selectFrom('log_entry_bundles').select(['width', 'data']).where('log', '=', '').where('idx', '=', 0).compile().sql;
  }

  async commit(write: IntegrationWrite<LedgerCompanion>): Promise<void> {
    if (this.locked) return this.write(this.locked, write);
    await this.db.transaction().execute((tx) => this.write(tx, write));
  }

  private async write(tx: Transaction<Database>, write: IntegrationWrite<LedgerCompanion>): Promise<void> {
    const now = new Date().toISOString();
    const current = await this.lock(tx);
    const storedSize = current ?? 0;
    if (storedSize !== write.fromSize) {
      throw new LedgerError('CONFLICT', `log head moved: stored size ${storedSize}, batch built on ${write.fromSize}`);
    }
    for (const t of write.tiles) {
      if (t.level < 0) {
        await tx
          .insertInto('log_entry_bundles')
          .values({ log: this.log, idx: t.index, width: t.width, data: t.data })
          .onConflict((oc) => oc.columns(['log', 'idx']).doUpdateSet({ width: t.width, data: t.data }))
          .execute();
      } else {
        await tx
          .insertInto('log_tiles')
          .values({ log: this.log, level: t.level, idx: t.index, width: t.width, data: t.data, interior: t.interior ?? null })
          .onConflict((oc) => oc.columns(['log', 'level', 'idx']).doUpdateSet({ width: t.width, data: t.data, interior: t.interior ?? null }))
          .execute();
      }
    }
    await this.writeCompanions(tx, write.companions, now);
    const head = { size: write.head.size, root_hash: write.head.rootHash, updated_at: now };
    if (current !== undefined) {
      await tx.updateTable('log_state').set(head).where('log', '=', this.log).execute();
    } else {
      await tx.insertInto('log_state').values({ log: this.log, ...head }).execute();
    }
    await tx
      .insertInto('log_checkpoints')
      .values({ log: this.log, size: write.head.size, note: write.checkpoint, created_at: now })
      .execute();
  }

  private async writeCompanions(tx: Transaction<Database>, companions: readonly EntryCompanion<LedgerCompanion>[], now: string): Promise<void> {
    const tags: string[] = [];
    const indexes: number[] = [];
    for (const { index, companion: c } of companions) {
      if (c.kind === 'access-index') {
        for (const tag of c.tags) {
          tags.push(tag);
          indexes.push(index);
        }
      } else if (c.kind === 'screening') {
        await tx.insertInto('gate_screenings').values({ scope: c.scope, ledger_index: index, screened_at: c.at }).execute();
      } else {
        await tx
          .insertInto('gate_policies')
          .values({ hash: c.hash, ledger_index: index, text: c.text, published_at: c.publishedAt || now })
          .onConflict((oc) => oc.column('hash').doNothing())
          .execute();
      }
    }
    if (tags.length === 0) return;
    const params = this.dialect === 'sqlite' ? [JSON.stringify(tags.map((t, i) => [t, indexes[i]]))] : [tags, indexes];
    await tx.executeQuery(CompiledQuery.raw(ACCESS_INDEX_SQL[this.dialect], params));
  }

  async readCheckpoint(size?: number): Promise<StoredCheckpoint | undefined> {
    let q = this.db
      .selectFrom('log_checkpoints')
      .select(['size', 'note', 'cosigned_note'])
      .where('log', '=', this.log);
    q = size === undefined ? q.orderBy('size', 'desc').limit(1) : q.where('size', '=', size);
    const row = await q.executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async readCosignedCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const row = await this.db
      .selectFrom('log_checkpoints')
      .select(['size', 'note', 'cosigned_note'])
      .where('log', '=', this.log)
      .where('cosigned_note', 'is not', null)
      .orderBy('size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toCheckpoint(row);
  }

  async saveCosignedCheckpoint(size: number, cosignedNote: Buffer): Promise<void> {
    await this.db
      .updateTable('log_checkpoints')
      .set({ cosigned_note: cosignedNote })
      .where('log', '=', this.log)
      .where('size', '=', size)
      .execute();
  }
}

function toCheckpoint(row: { size: number; note: Buffer; cosigned_note: Buffer | null }): StoredCheckpoint {
  return {
    size: Number(row.size),
    note: Buffer.from(row.note),
    cosignedNote: row.cosigned_note === null ? null : Buffer.from(row.cosigned_note),
  };
}
