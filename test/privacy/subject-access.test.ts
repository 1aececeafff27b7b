import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gate } from '../../src/gate/index.js';
import { parseVerifierKey, verifyReceipts, type TransparencyLog } from '../../src/ledger/index.js';
import { OutboxTransport, SubjectAccess } from '../../src/privacy/index.js';
import type { LogKey } from '../../src/runtime/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../support/stores.js';
import { testGate } from '../support/gate.js';
import { insertParcel } from '../support/parcels.js';
import { openTestLedger } from '../support/hub.js';

const alice = { name: 'Alice Martin', street: '12 Rue Haute', postcode: '4000', city: 'Liège', country: 'BE', email: 'alice@example.be', phone: '+32470000001' };

function lastCode(outbox: string): string {
  const files = readdirSync(outbox).sort();
  const mail = readFileSync(join(outbox, files.at(-1)!), 'utf8');
  return /code is (\d{6})/.exec(mail)![1]!;
}

describe.each(STORE_KINDS)('subject access on %s', (kind) => {
  let store: TestStore;
  let log: TransparencyLog;
  let key: LogKey;
  let gate: Gate;
  let outbox: string;
  let sar: SubjectAccess;

  beforeEach(async () => {
    store = await openTestStore(kind);
    const dir = mkdtempSync(join(tmpdir(), 'gh-sar-'));
    ({ key, log } = await openTestLedger(store));
    gate = testGate(store, log);
    outbox = join(dir, 'outbox');
    sar = new SubjectAccess({ db: store.db, gate, log, email: new OutboxTransport(outbox) });
  });
  afterEach(async () => {
    await log.close();
    await store.cleanup();
  });

  it('proves the person, then gives their data, recipients and every entry about them with proofs that verify', async () => {
    const [ref1, ref2] = await gate.seal(store.db, [
      { role: 'consignee', data: alice },
      { role: 'consignee', data: { ...alice, street: '1 Place du Marché' } },
    ]);
    await insertParcel(store, 'RR473124829GB', ref1!);
    await insertParcel(store, 'EE876543216CA', ref2!);
    const officer = { id: 'officer-1', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
    const customs = await gate.access({ principal: officer, action: 'read', purpose: 'customs-control', refs: [ref2!], category: 'consignee', fields: ['name'] });
    // Sanctions screening of the flight's buyers by keyed hash: the decision names no one, yet it is Alice's too.
    const screen = (scope: string) => gate.screen({ principal: officer, purpose: 'customs-control', refs: [ref1!, ref2!], category: 'consignee', scope, list: { source: 'test', names: ['John Sanctioned Doe'] } });
    const screening = await screen('flight:CK231/2026-11-25');
    const elsewhere = await screen('flight:LH8400/2026-11-25');

    const { requestId } = await sar.start({ trackingNumber: 'rr473124829gb', postcode: ' 4000 ' });
    const mail = readFileSync(join(outbox, readdirSync(outbox)[0]!), 'utf8');
    expect(mail).toContain('To: alice@example.be');
    await expect(sar.verify({ requestId, code: '000000' === lastCode(outbox) ? '111111' : '000000' })).rejects.toThrow('does not match');
    const { sessionToken } = await sar.verify({ requestId, code: lastCode(outbox) });
    const report = await sar.report(sessionToken);

    expect(report.data.map((d) => d.street).sort()).toEqual(['1 Place du Marché', '12 Rue Haute']);
    expect(report.parcels.map((p) => p.trackingNumber).sort()).toEqual(['EE876543216CA', 'RR473124829GB']);
    expect(report.recipients).toEqual(expect.arrayContaining([expect.objectContaining({ organisation: 'be-customs', purpose: 'customs-control' })]));
    expect(report.entries.map((e) => e.index)).toContain(customs.ledgerIndex);
    expect(report.entries.map((e) => e.index)).toContain(screening.ledgerIndex);
    expect(report.entries.map((e) => e.index)).not.toContain(elsewhere.ledgerIndex);
    expect(report.entries.find((e) => e.index === screening.ledgerIndex)?.entry).toMatchObject({ action: 'screen', records: { scope: 'flight:CK231/2026-11-25' } });
    // Nothing was handed over by a screening: it is not a recipient.
    expect(report.recipients.filter((r) => r.action === 'screen')).toEqual([]);
    const verified = verifyReceipts(report.receipts, parseVerifierKey(key.vkey));
    expect(verified.entries.map((e) => e.index)).toEqual(report.entries.map((e) => e.index).filter((i) => !report.pending.includes(i)));
    // Tampering with any receipt is caught.
    const forged = { ...report.receipts, receipts: report.receipts.receipts.map((r, i) => (i === 0 ? { ...r, index: r.index + 1 } : r)) };
    expect(() => verifyReceipts(forged, parseVerifierKey(key.vkey))).toThrow();
  });

  it('sends nothing and never verifies when the postcode does not match', async () => {
    const [ref] = await gate.seal(store.db, [{ role: 'consignee', data: alice }]);
    await insertParcel(store, 'RR473124829GB', ref!);
    const { requestId } = await sar.start({ trackingNumber: 'RR473124829GB', postcode: '1000' });
    expect(() => readdirSync(outbox)).toThrow();
    for (const code of ['000000', '123456']) await expect(sar.verify({ requestId, code })).rejects.toThrow();
  });

  it('locks a request after five wrong codes', async () => {
    const [ref] = await gate.seal(store.db, [{ role: 'consignee', data: alice }]);
    await insertParcel(store, 'RR473124829GB', ref!);
    const { requestId } = await sar.start({ trackingNumber: 'RR473124829GB', postcode: '4000' });
    const right = lastCode(outbox);
    const wrong = right === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) await expect(sar.verify({ requestId, code: wrong })).rejects.toThrow();
    await expect(sar.verify({ requestId, code: right })).rejects.toThrow('too many attempts');
  });
});
