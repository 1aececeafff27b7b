/**
 * Child process of the gate's crash test: seals a few people, then reads through the gate with many
 * concurrent callers for ever, printing each acknowledged decision's ledger index — until it is killed.
 * Usage: node --import tsx test/gate/crash-reader.ts <db> <log key file> <vault key file>
 */
import { Policy, openGate, type Principal } from '../../src/gate/index.js';
import { loadOrCreateLogKey, openLedger } from '../../src/runtime/index.js';
import { openStore } from '../../src/store/index.js';

const [db, logKeyFile, vaultKeyFile] = process.argv.slice(2);
if (!db || !logKeyFile || !vaultKeyFile) throw new Error('usage: crash-reader <db> <log key file> <vault key file>');

const OFFICER: Principal = { id: 'crash-officer', role: 'customs-officer', organisation: 'be-customs', country: 'BE' };
const store = await openStore(db);
const log = await openLedger(store, loadOrCreateLogKey(logKeyFile, 'test.glasshub/crash'), { maxDelayMs: 1 });
const gate = openGate(store.db, log, { vaultKeyFile, policy: Policy.load() });
const people = Array.from({ length: 200 }, (_, i) => ({ role: 'consignee' as const, data: { name: `Person ${i}`, postcode: '4000', country: 'BE', email: `p${i}@example.be` } }));
const refs = await store.db.transaction().execute((tx) => gate.seal(tx, people));
process.stdout.write('ready\n');

let n = 0;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    for (;;) {
      const ref = refs[n++ % refs.length]!;
      const d = await gate.access({ principal: OFFICER, action: 'read', purpose: 'customs-control', refs: [ref], category: 'consignee', fields: ['name'] });
      process.stdout.write(`${d.ledgerIndex}\n`);
    }
  }),
);
