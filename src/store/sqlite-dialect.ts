import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Kysely's SQLite transactions begin DEFERRED: they read first, on a snapshot, and take the write lock at
 * their first write. When another process (a CLI beside `glasshub serve`) commits in between, that upgrade
 * fails at once with "database is locked": SQLite cannot wait, since the snapshot is stale, and the busy
 * timeout never applies. BEGIN IMMEDIATE takes the write lock first, so a second writer waits its turn (up
 * to the busy timeout) instead. In one process nothing changes: Kysely runs one transaction at a time on
 * its one connection, and WAL readers never wait for the writer.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
