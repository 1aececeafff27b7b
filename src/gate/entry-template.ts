import { randomUUID } from 'node:crypto';
import { encodeLedgerEntry, type LedgerEntry } from '../domain/index.js';

/** Stands for a variable while the template is built; random per process, so no real value can equal it. */
const MARKER = `\u0000${randomUUID()}:`;

/**
 * A ledger entry whose only changing parts are a few top-level strings, encoded once by encodeLedgerEntry
 * with markers in their place and kept as the text between them: encoding it again is a few string
 * concatenations instead of sorting and escaping the whole object (a fifth of a gate read's cost). The
 * bytes are encodeLedgerEntry's, because they are its output with the variables quoted as it quotes them.
 */
export class EntryTemplate<K extends string> {
  private constructor(
    /** Constant text: parts[i] comes before the i-th variable in text order, the last one after all. */
    private readonly parts: readonly string[],
    private readonly order: readonly K[],
  ) {}

  /** Undefined when a variable cannot be found exactly once (then encode the entry in full). */
  static of<K extends string>(constant: LedgerEntry, variables: readonly K[]): EntryTemplate<K> | undefined {
    const probe: Record<string, unknown> = { ...constant };
    for (const v of variables) probe[v] = MARKER + v;
    const text = encodeLedgerEntry(probe as LedgerEntry).toString('utf8');
    const found: { name: K; at: number; length: number }[] = [];
    for (const name of variables) {
      const quoted = JSON.stringify(MARKER + name);
      const at = text.indexOf(quoted);
      if (at < 0 || text.indexOf(quoted, at + 1) >= 0) return undefined;
      found.push({ name, at, length: quoted.length });
    }
    found.sort((a, b) => a.at - b.at);
    const parts: string[] = [];
    let from = 0;
    for (const f of found) {
      parts.push(text.slice(from, f.at));
      from = f.at + f.length;
    }
    parts.push(text.slice(from));
    return new EntryTemplate(parts, found.map((f) => f.name));
  }

  encode(values: Readonly<Record<K, string>>): Buffer {
    let text = this.parts[0]!;
    for (let i = 0; i < this.order.length; i++) text += JSON.stringify(values[this.order[i]!]) + this.parts[i + 1]!;
    return Buffer.from(text, 'utf8');
  }
}
