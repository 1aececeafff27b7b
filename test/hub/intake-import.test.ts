import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importManifest, type ImportDeps, type ManifestLine } from '../../src/hub/intake/index.js';
import { testGate } from '../support/gate.js';
import { asAsync, manifestLine, ndjsonLines, trackingNumber } from '../support/manifests.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';

const NOW = new Date('2026-11-25T06:30:00Z');
const noReads = { append: () => Promise.reject(new Error('an import reads no personal data: nothing to record')) };

describe.each(STORE_KINDS)('importManifest on %s', (kind) => {
  let store: TestStore;
  let deps: ImportDeps;

  beforeAll(async () => {
    store = await openTestStore(kind);
    deps = { db: store.db, dialect: store.dialect, sealer: testGate(store, noReads), now: () => NOW };
  });
  afterAll(() => store.cleanup());

  const count = async (table: 'parcels' | 'parcel_items' | 'flights' | 'awbs' | 'ulds') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('stores parcels, items, flights, AWBs and ULDs, in chunks, with status manifested', async () => {
    const progress: number[] = [];
    const summary = await importManifest(deps, asAsync(ndjsonLines(0, 5_000)), 'ndjson', { chunkLines: 2_000, onProgress: (p) => progress.push(p.lines) });
    expect(summary).toMatchObject({ lines: 5_000, accepted: 5_000, rejected: 0, duplicates: 0, errors: [], errorsTruncated: false });
    expect(summary.flights).toEqual([{ id: 'CK231/2026-11-25', flightNumber: 'CK231', flightDate: '2026-11-25', accepted: 5_000 }]);
    expect(progress).toEqual([2_000, 4_000, 5_000]);
    expect(await count('parcels')).toBe(5_000);
    expect(await count('parcel_items')).toBe(5_000 + Math.ceil(5_000 / 3));
    expect(await count('flights')).toBe(1);
    expect(await count('awbs')).toBe(25);
    expect(await count('ulds')).toBe(3);
    const p = await store.db.selectFrom('parcels').selectAll().where('tracking_number', '=', trackingNumber(3)).executeTakeFirstOrThrow();
    expect(p).toMatchObject({
      flight_id: 'CK231/2026-11-25',
      awb: '112-00000000',
      uld: 'AKE10000CK',
      seller_country: 'CN',
      dest_country: 'FR',
      gross_mass_g: 280,
      ioss_number: null,
      item_count: 2,
      status: 'manifested',
      created_at: NOW.toISOString(),
    });
    expect(p.consignee_ref).toMatch(/\S/);
    expect(p.seller_ref).toMatch(/\S/);
    const items = await store.db.selectFrom('parcel_items').selectAll().where('tracking_number', '=', trackingNumber(3)).orderBy('line_no').execute();
    const given = manifestLine(3).items;
    expect(given).toHaveLength(2);
    expect(items.map((i) => [i.line_no, i.description, i.hs_code, i.quantity, i.unit_value, i.currency, i.origin_country])).toEqual(
      given.map((it, n) => [n + 1, it.description, it.hsCode.replace(/\D/g, ''), it.quantity, it.value, 'EUR', 'CN']),
    );
  });

  it('counts a parcel imported again as a duplicate, never a second row or an error', async () => {
    const again = await importManifest(deps, asAsync(ndjsonLines(4_990, 5_010)), 'ndjson');
    expect(again).toMatchObject({ lines: 20, accepted: 10, duplicates: 10, rejected: 0 });
    const twiceInOne = [JSON.stringify(manifestLine(6_000)), JSON.stringify(manifestLine(6_000))];
    expect(await importManifest(deps, asAsync(twiceInOne), 'ndjson')).toMatchObject({ accepted: 1, duplicates: 1, rejected: 0 });
    expect(await count('parcels')).toBe(5_011);
  });

  it('stores every good line and reports each bad one with its line number, field and reason', async () => {
    const lines = [
      JSON.stringify(manifestLine(7_000)),
      '{"flight": "CK231", not json',
      '',
      JSON.stringify(manifestLine(7_001, { trackingNumber: 'RR473124828GB' })),
      JSON.stringify(manifestLine(7_002, { awb: '112-12345670', grossMassKg: -1 })),
      JSON.stringify(manifestLine(7_003)),
    ];
    const summary = await importManifest(deps, asAsync(lines), 'ndjson');
    expect(summary).toMatchObject({ lines: 5, accepted: 2, rejected: 3, duplicates: 0 });
    expect(summary.errors).toEqual([
      { line: 2, field: '(line)', reason: 'not valid JSON' },
      { line: 4, field: 'trackingNumber', reason: 'check digit does not match the serial number' },
      { line: 5, field: 'grossMassKg', reason: 'must be more than 0' },
      { line: 5, field: 'awb', reason: 'check digit (last digit) must equal the first 7 serial digits modulo 7' },
    ]);
    const stored = await store.db.selectFrom('parcels').select('tracking_number').where('tracking_number', 'in', [trackingNumber(7_000), trackingNumber(7_003)]).execute();
    expect(stored).toHaveLength(2);
  });

  it('creates flights, AWBs and ULDs as named, defaults the flight date to the import day, refuses an AWB of another flight', async () => {
    const noDate: Partial<ManifestLine> = manifestLine(8_000, { flight: 'ck 0232', awb: '160-11111111', uld: 'pmc 1234 lh' });
    delete noDate.flightDate;
    const lines = [
      JSON.stringify(noDate),
      JSON.stringify(manifestLine(8_001, { flight: 'CK233', awb: '160-11111111' })), // same AWB, other flight
      JSON.stringify(manifestLine(8_002, { flight: 'CK232', flightDate: '2026-11-25', awb: '160-11111111', uld: 'PMC1234LH' })),
    ];
    const summary = await importManifest(deps, asAsync(lines), 'ndjson');
    expect(summary).toMatchObject({ accepted: 2, rejected: 1 });
    expect(summary.errors).toEqual([{ line: 2, field: 'awb', reason: 'air waybill 160-11111111 is already manifested on flight CK232/2026-11-25' }]);
    expect(summary.flights.map((f) => [f.id, f.accepted])).toEqual([['CK232/2026-11-25', 2]]);
    const flights = await store.db.selectFrom('flights').select(['id', 'status']).where('flight_number', 'in', ['CK232', 'CK233']).orderBy('id').execute();
    expect(flights).toEqual([
      { id: 'CK232/2026-11-25', status: 'expected' },
      { id: 'CK233/2026-11-25', status: 'expected' },
    ]);
    expect(await store.db.selectFrom('ulds').selectAll().where('uld', '=', 'PMC1234LH').execute()).toMatchObject([
      { flight_id: 'CK232/2026-11-25', status: 'expected' },
    ]);
  });

  it.each([
    ['sealing each chunk in its transaction', false, 50_000],
    ["preparing each chunk's sealing ahead (the next one's under way when the vault fails)", true, 70_000],
  ])('keeps the chunks committed before a failure, and completes on a second import: %s', async (_, ahead, from) => {
    let calls = 0;
    const prepare = deps.sealer.prepare?.bind(deps.sealer);
    expect(prepare).toBeDefined(); // the gate prepares
    const failing: ImportDeps = {
      ...deps,
      sealer: {
        seal: (tx, people, prepared) => {
          expect(prepared !== undefined).toBe(ahead); // the import hands each chunk its preparation
          return ++calls === 2 ? Promise.reject(new Error('vault unavailable')) : deps.sealer.seal(tx, people, prepared);
        },
        ...(ahead && { prepare }),
      },
    };
    await expect(importManifest(failing, asAsync(ndjsonLines(from, from + 5_000)), 'ndjson', { chunkLines: 2_000 })).rejects.toThrow('vault unavailable');
    const stored = await store.db.selectFrom('parcels').select('tracking_number').where('tracking_number', '>=', trackingNumber(from)).where('tracking_number', '<', trackingNumber(from + 5_000)).execute();
    expect(stored).toHaveLength(2_000);
    expect(await importManifest(deps, asAsync(ndjsonLines(from, from + 5_000)), 'ndjson')).toMatchObject({ accepted: 3_000, duplicates: 2_000, rejected: 0 });
    // Every parcel refers to its own consignee's record, stored.
    const refs = await store.db.selectFrom('parcels').select(['consignee_ref', 'seller_ref']).where('tracking_number', '>=', trackingNumber(from)).where('tracking_number', '<', trackingNumber(from + 5_000)).execute();
    expect(new Set(refs.map((r) => r.consignee_ref)).size).toBe(5_000);
    expect(await store.db.selectFrom('vault_records').select('id').where('id', 'in', refs.map((r) => r.consignee_ref)).execute()).toHaveLength(5_000);
  });

  it('never stores a parcel twice when two imports of it run at once', async () => {
    const [a, b] = await Promise.all([
      importManifest(deps, asAsync(ndjsonLines(60_000, 64_000)), 'ndjson', { chunkLines: 500 }),
      importManifest(deps, asAsync(ndjsonLines(62_000, 66_000)), 'ndjson', { chunkLines: 700 }),
    ]);
    expect(a.accepted + b.accepted).toBe(6_000);
    expect(a.duplicates + b.duplicates).toBe(2_000);
    expect(a.rejected + b.rejected).toBe(0);
    const stored = await store.db.selectFrom('parcels').select('tracking_number').where('tracking_number', '>=', trackingNumber(60_000)).where('tracking_number', '<', trackingNumber(66_000)).execute();
    expect(stored).toHaveLength(6_000);
  });

  it('caps the listed errors but counts every refused line', async () => {
    const lines = Array.from({ length: 30 }, () => 'nope');
    const summary = await importManifest(deps, asAsync(lines), 'ndjson', { maxErrors: 10 });
    expect(summary).toMatchObject({ rejected: 30, errorsTruncated: true });
    expect(summary.errors).toHaveLength(10);
  });
});
