import type { Kysely } from 'kysely';
import { LedgerError } from '../ledger/errors.js';
import type { IntegrationWrite, LogHead, LogStorage, StoredCheckpoint, StoredTile } from '../ledger/storage.js';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

/** The ledger's storage on either store; one row per tile, partial tiles grow in place until full. */
export class KyselyLogStorage implements LogStorage {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** One database can hold several logs (one per hub and period); rows are keyed by the log's origin. */
    private readonly log: string,
  ) {}

  async readHead(): Promise<LogHead | undefined> {
    const row = await this.db
      .selectFrom('log_state')
      .select(['size', 'root_hash'])
      .where('log', '=', this.log)
      .executeTakeFirst();
    return row && { size: Number(row.size), rootHash: Buffer.from(row.root_hash) };
  }

  async readTile(level: number, index: number): Promise<StoredTile | undefined> {
    if (level < 0) {
      const row = await this.db
        .selectFrom('log_entry_bundles')
        .select(['width', 'data'])
        .where('log', '=', this.log)
        .where('idx', '=', index)
        .executeTakeFirst();
      return row && { level, index, width: row.width, data: Buffer.from(row.data) };
    }
    const row = await this.db
      .selectFrom('log_tiles')
      .select(['width', 'data'])
      .where('log', '=', this.log)
      .where('level', '=', level)
      .where('idx', '=', index)
      .executeTakeFirst();
    return row && { level, index, width: row.width, data: Buffer.from(row.data) };
  }

  async commit(write: IntegrationWrite): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      // Serialise writers: on PostgreSQL the row lock holds other processes until this one commits.
      let q = tx.selectFrom('log_state').select('size').where('log', '=', this.log);
      if (this.dialect === 'postgres') q = q.forUpdate();
      const current = await q.executeTakeFirst();
      const storedSize = current ? Number(current.size) : 0;
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
            .values({ log: this.log, level: t.level, idx: t.index, width: t.width, data: t.data })
            .onConflict((oc) => oc.columns(['log', 'level', 'idx']).doUpdateSet({ width: t.width, data: t.data }))
            .execute();
        }
      }
      const head = { size: write.head.size, root_hash: write.head.rootHash, updated_at: now };
      if (current) {
        await tx.updateTable('log_state').set(head).where('log', '=', this.log).execute();
      } else {
        await tx.insertInto('log_state').values({ log: this.log, ...head }).execute();
      }
      await tx
        .insertInto('log_checkpoints')
        .values({ log: this.log, size: write.head.size, note: write.checkpoint, created_at: now })
        .execute();
    });
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
