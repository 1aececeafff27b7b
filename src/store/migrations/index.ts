import type { Migration, MigrationProvider, Kysely } from 'kysely';
import type { GlasshubMigration, MigrationContext } from './types.js';
import * as ledger from './001-ledger.js';
import * as witnessNote from './002-witness-note.js';
import * as hub from './003-hub.js';
import * as principals from './004-principals.js';
import * as operations from './005-operations.js';
import * as vault from './006-vault.js';
import * as gate from './007-gate.js';
import * as customs from './008-customs.js';
import * as privacy from './009-privacy.js';
import * as hotPaths from './010-hot-paths.js';
import * as gateIndexPeriods from './011-gate-index-periods.js';
import * as sessions from './012-sessions.js';
import * as epcIndexPeriods from './013-epc-index-periods.js';
import * as nameIndex from './014-name-index.js';
import * as gateScreenings from './015-gate-screenings.js';
import * as parcelStatusIndex from './016-parcel-status-index.js';
import * as tileInteriors from './017-tile-interiors.js';

/** Ordered list: a migration, once released, never changes; a change is a new migration. */
const MIGRATIONS: readonly GlasshubMigration[] = [
  { name: '001-ledger', up: ledger.up },
  { name: '002-witness-note', up: witnessNote.up },
  { name: '003-hub', up: hub.up },
  { name: '004-principals', up: principals.up },
  { name: '005-operations', up: operations.up },
  { name: '006-vault', up: vault.up },
  { name: '007-gate', up: gate.up },
  { name: '008-customs', up: customs.up },
  { name: '009-privacy', up: privacy.up },
  { name: '010-hot-paths', up: hotPaths.up },
  { name: '011-gate-index-periods', up: gateIndexPeriods.up },
  { name: '012-sessions', up: sessions.up },
  { name: '013-epc-index-periods', up: epcIndexPeriods.up },
  { name: '014-name-index', up: nameIndex.up },
  { name: '015-gate-screenings', up: gateScreenings.up },
  { name: '016-parcel-status-index', up: parcelStatusIndex.up },
  { name: '017-tile-interiors', up: tileInteriors.up },
];

/** Migrations live in code (not files on disk) so the built package and the tests run the same list. */
export class GlasshubMigrations implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}

  getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of MIGRATIONS) {
      out[m.name] = { up: (db: Kysely<unknown>) => m.up(db, this.ctx) };
    }
    return Promise.resolve(out);
  }
}
