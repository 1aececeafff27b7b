import type { ColumnDataType, Kysely } from 'kysely';

/** Column types that differ between the two stores, resolved once per dialect. */
export interface MigrationContext {
  readonly dialect: 'sqlite' | 'postgres';
  readonly binary: ColumnDataType;
  readonly bigint: ColumnDataType;
}

export interface GlasshubMigration {
  readonly name: string;
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}
