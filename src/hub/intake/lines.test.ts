import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLines } from './lines.js';

async function collect(chunks: readonly (Buffer | string)[], maxLineChars?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines((async function* () {
    for (const c of chunks) yield await Promise.resolve(c);
  })(), { maxLineChars })) out.push(line);
  return out;
}

/** `bytes` cut at the given sizes (cycled), possibly inside a UTF-8 sequence. */
function cut(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return out;
}

describe('readLines', () => {
  it('splits at line feeds, whatever the chunks, multi-byte characters included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\n', '\r', ' ') }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }), async (text, sizes) => {
        const expected = text.split('\n');
        if (expected.at(-1) === '') expected.pop();
        expect(await collect(cut(Buffer.from(text, 'utf8'), sizes))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a line longer than the bound to one character over it, and skips the rest of it', async () => {
    const lines = await collect(['short\n', 'x'.repeat(5), 'y'.repeat(10), 'z\nnext\n', 'w'.repeat(20)], 8);
    expect(lines).toEqual(['short', 'xxxxxyyyy', 'next', 'wwwwwwwww']);
  });
});
