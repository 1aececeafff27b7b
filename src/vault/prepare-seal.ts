/**
 * Sealing's cryptography done ahead of its transaction (see `PreparedPeople`).
 */
import { prepareMany } from './crypto-batch.js';
import { random } from './crypto.js';
import { wrapKeys, type KeyWrapper, type VaultKeyring } from './keys.js';
import { canonical, identityMessage, ids, screeningForm, type Person } from './people.js';

/** The subject a person would get if new to the vault: an id and a data key, made ahead. */
export interface Candidate {
  readonly id: string;
  readonly key: Buffer;
  readonly message: string;
  /** Its place among the preparation's subjects. */
  readonly n: number;
  /** Set once the preparation is ready. */
  index?: Buffer;
  wrapped?: Buffer;
}

/** A record as it would be stored for its candidate subject. */
export interface AheadRecord {
  readonly subject: Candidate;
  readonly id: string;
  readonly content: string;
  readonly name: string;
  /** Set once the preparation is ready. */
  nameIndex?: Buffer | null;
  contentIndex?: Buffer;
  ciphertext?: Buffer;
}

/**
 * The cryptography of sealing these people, started at once and done off the main thread, before their
 * transaction: none of it needs the database when each person is taken to be new to the vault (a fresh
 * subject id and data key per person, the data sealed under it), which most people of a manifest are. A
 * manifest import prepares its next chunk while the current one is written, so the two overlap instead
 * of following each other. `sealPeople` given the same request objects uses what still holds.
 */
export class PreparedPeople {
  readonly ready: Promise<void>;
  /** The master key the data keys are wrapped under (current when the preparation started). */
  readonly keyId: string;
  private readonly byPerson = new Map<Person, AheadRecord>();

  constructor(keys: VaultKeyring, people: readonly Person[], fields: readonly string[]) {
    const current = keys.current;
    this.keyId = current.keyId;
    const candidates = new Map<string, Candidate>();
    const records = new Map<string, AheadRecord>();
    for (const p of people) {
      const content = canonical(p.data, fields);
      const key = `${p.role}\n${content}`;
      let r = records.get(key);
      if (r === undefined) {
        const message = identityMessage(p);
        let subject = candidates.get(message);
        if (subject === undefined) candidates.set(message, (subject = { id: ids.next(), key: random(32), message, n: candidates.size }));
        records.set(key, (r = { subject, id: ids.next(), content, name: screeningForm(p.data['name']) }));
      }
      this.byPerson.set(p, r);
    }
    this.ready = prepare(keys, current, [...candidates.values()], [...records.values()]);
    this.ready.catch(() => undefined); // reported where `ready` is awaited (by `sealPeople`), not as unhandled
  }

  /** What was prepared for this request object (once `ready`), if it was among them. */
  of(person: Person): AheadRecord | undefined {
    return this.byPerson.get(person);
  }
}

async function prepare(keys: VaultKeyring, current: KeyWrapper, subjects: readonly Candidate[], records: readonly AheadRecord[]): Promise<void> {
  const named = records.filter((r) => r.name !== '');
  const [crypto, wrapped] = await Promise.all([
    prepareMany({ indexKey: keys.indexKey, subjects, names: named.map((r) => r.name), records: records.map((r) => ({ subject: r.subject.n, id: r.id, content: r.content })) }),
    wrapKeys(current, subjects),
  ]);
  subjects.forEach((s, i) => {
    s.index = crypto.identities[i]!;
    s.wrapped = wrapped[i]!;
  });
  for (const r of records) r.nameIndex = null;
  named.forEach((r, i) => (r.nameIndex = crypto.names[i]!));
  records.forEach((r, i) => {
    r.contentIndex = crypto.contentIndexes[i]!;
    r.ciphertext = crypto.ciphertexts[i]!;
  });
}
