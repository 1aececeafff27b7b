import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHub } from '../../src/runtime/index.js';
import { seedDefaultSortPlan } from '../../src/hub/operations/index.js';
import { PHASES, runFlight, SCHEDULE } from '../../src/sim/index.js';
import { runGlasshub } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'glasshub-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The number after `label: ` in the demo's summary. */
function figure(stdout: string, label: string): number {
  const match = new RegExp(`^${label}: ([\\d,]+)`, 'm').exec(stdout);
  if (match === null) throw new Error(`no "${label}" in the summary:\n${stdout}`);
  return Number(match[1]!.replaceAll(',', ''));
}

describe('glasshub demo', () => {
  it('runs a small day end to end, and its summary matches the database', async () => {
    const db = join(dir, 'demo.db');
    const r = await runGlasshub(['demo', '--parcels', '500', '--no-serve', '--db', db, '--seed', '3'], undefined, { CI: '1' });
    expect(r.stderr).not.toMatch(/glasshub:/);
    expect(r.code).toBe(0);
    const accepted = figure(r.stdout, 'parcels accepted');
    const rejected = figure(r.stdout, 'parcels rejected');
    const dispatched = figure(r.stdout, 'parcels dispatched');
    const disclosures = figure(r.stdout, 'disclosures to carriers');
    expect(accepted + rejected).toBe(500);
    expect(rejected).toBeGreaterThan(0);
    // Every parcel leaves on a truck but those customs holds (automatic holds on flagged parcels).
    expect(dispatched).toBe(accepted - figure(r.stdout, 'held by customs'));

    const hub = await openHub({ db });
    try {
      const count = async (status: 'dispatched') =>
        Number((await hub.store.db.selectFrom('parcels').select((eb) => eb.fn.countAll().as('n')).where('status', '=', status).executeTakeFirstOrThrow()).n);
      expect(await count('dispatched')).toBe(dispatched);
      const trucks = await hub.store.db.selectFrom('trucks').select(['id', 'status']).execute();
      expect(trucks.length).toBe(figure(r.stdout, 'trucks'));
      expect(trucks.every((t) => t.status === 'dispatched')).toBe(true);
      // Bags of at most 50 parcels of their own lane, closed as full but one per lane at most (what was left
      // in its chute when the flight was sorted); trucks of at most 200 bags of one lane.
      const bags = await hub.store.db.selectFrom('bags').select(['sscc', 'lane', 'truck', 'parcel_count']).execute();
      expect(bags.length).toBeGreaterThan(0);
      expect(bags.every((b) => b.parcel_count >= 1 && b.parcel_count <= 50)).toBe(true);
      const partial = bags.filter((b) => b.parcel_count < 50);
      expect(new Set(partial.map((b) => b.lane)).size).toBe(partial.length);
      const elsewhere = await hub.store.db.selectFrom('parcels as p').innerJoin('bags as b', 'b.sscc', 'p.bag').select('p.tracking_number').whereRef('p.lane', '!=', 'b.lane').execute();
      expect(elsewhere).toEqual([]);
      const byTruck = new Map<string | null, typeof bags>();
      for (const b of bags) byTruck.set(b.truck, [...(byTruck.get(b.truck) ?? []), b]);
      expect([...byTruck.keys()].sort()).toEqual(trucks.map((t) => t.id).sort());
      for (const load of byTruck.values()) {
        expect(load.length).toBeLessThanOrEqual(200);
        expect(new Set(load.map((b) => b.lane)).size).toBe(1);
      }
      const size = await hub.log.committedSize();
      expect(size).toBe(figure(r.stdout, 'ledger'));
      let inLedger = 0;
      for (let i = 0; i < size; i++) {
        const entry = JSON.parse((await hub.log.readEntry(i)).toString('utf8')) as { type?: string; requestId?: string };
        if (entry.type === 'access-decision' && entry.requestId?.startsWith('dispatch:') === true) inLedger++;
      }
      expect(inLedger).toBe(disclosures);
      expect(disclosures).toBe(trucks.length);
    } finally {
      await hub.close();
    }
  }, 120_000);

  it('simulates the next day when run again on the same database', async () => {
    const db = join(dir, 'again.db');
    const first = await runGlasshub(['demo', '--parcels', '100', '--no-serve', '--db', db], undefined, { CI: '1' });
    const second = await runGlasshub(['demo', '--parcels', '100', '--no-serve', '--db', db], undefined, { CI: '1' });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.stderr).toMatch(/already in .*: simulating \d{4}-\d{2}-\d{2}/);
    expect(figure(second.stdout, 'duplicates')).toBe(0);
    expect(figure(second.stdout, 'parcels dispatched')).toBe(figure(second.stdout, 'parcels accepted') - figure(second.stdout, 'held by customs'));
  }, 120_000);

  it('finishes a flight whose manifest had no good line, with nothing to do after the import', async () => {
    const hub = await openHub({ db: join(dir, 'empty.db') });
    try {
      await seedDefaultSortPlan(hub.store.db, 'test');
      const bad = JSON.stringify({ flight: 'CK231', awb: '112-12345675', trackingNumber: 'not-a-parcel' });
      const run = await runFlight(hub, { ...SCHEDULE[0]!, flightDate: '2026-11-25', parcels: 1, seed: 1 }, { manifest: Readable.from([bad]) });
      expect(run.import).toMatchObject({ lines: 1, accepted: 0, rejected: 1 });
      expect(run).toMatchObject({ ulds: 0, inducted: 0, sorted: 0, bags: 0, trucks: 0, dispatched: 0, disclosures: 0 });
      expect(run.customsError).toBeUndefined();
      expect(Object.keys(run.ms)).toEqual([...PHASES]);
      expect(await hub.store.db.selectFrom('flights').select('id').execute()).toEqual([]);
    } finally {
      await hub.close();
    }
  });
});
