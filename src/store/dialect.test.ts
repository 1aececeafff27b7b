import fc from 'fast-check';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS, type TestStore } from '../../test/support/stores.js';
import { insertWithLiteralsText, sqlLiteral } from './dialect.js';

describe.each(STORE_KINDS)('sqlLiteral on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.cleanup());

  const roundTrip = async (value: string | number): Promise<unknown> => {
    const { rows } = await store.db.executeQuery<{ v: unknown }>(CompiledQuery.raw(`select ${sqlLiteral(value)} as v`));
    return rows[0]?.v;
  };

  it('reads back any string without NUL exactly as written: quotes, backslashes, newlines, non-BMP characters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')), async (s) => {
        expect(await roundTrip(s)).toBe(s);
      }),
      { numRuns: 200 },
    );
    for (const s of ["O'Brien", "''", "\\'; drop table parcels; --", 'CK231/2026-11-25']) expect(await roundTrip(s)).toBe(s);
  });

  it('writes safe integers as numbers', async () => {
    for (const n of [0, 7, -3, 2 ** 31]) expect(Number(await roundTrip(n))).toBe(n);
  });
});

describe('sqlLiteral refuses what it cannot write exactly', () => {
  it('refuses a NUL character (neither store keeps it in a text literal)', () => {
    expect(() => sqlLiteral('a\0b')).toThrow(/NUL/);
  });
  it('refuses numbers that are not safe integers', () => {
    for (const n of [1.5, Number.NaN, Infinity, 2 ** 53]) expect(() => sqlLiteral(n)).toThrow(RangeError);
  });
});

describe('insertWithLiteralsText', () => {
  it('binds the varying columns in row order and writes the constant ones as literals in every row', () => {
    const constants = [['flight_id', "O'K1"], ['version', 3]] as const;
    expect(insertWithLiteralsText('t', ['a', 'b'], constants, 2, true)).toBe("insert into t (a, b, flight_id, version) values ($1,$2,'O''K1',3),($3,$4,'O''K1',3)");
    expect(insertWithLiteralsText('t', ['a'], constants, 2, false)).toBe("insert into t (a, flight_id, version) values (?,'O''K1',3),(?,'O''K1',3)");
  });
});
