import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbManifestLine, splitLines, toCsv } from '../../../test/support/manifests.js';
import { CsvLayout } from './csv-columns.js';
import { manifestJsonSchema } from './manifest-schema.js';
import { manifestResults, type ManifestFormat } from './read.js';
import type { LineResult } from './types.js';

const PUBLISHED = fileURLToPath(new URL('../../../docs/manifest.schema.json', import.meta.url));

describe('the published manifest schema', () => {
  it('docs/manifest.schema.json is the schema the code checks (rewritten when stale: commit it)', () => {
    const current = `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
    const onDisk = existsSync(PUBLISHED) ? readFileSync(PUBLISHED, 'utf8') : '';
    if (onDisk !== current) writeFileSync(PUBLISHED, current);
    expect(onDisk, 'docs/manifest.schema.json was stale and has been rewritten: review and commit it').toBe(current);
  });
});

async function results(text: string, format: ManifestFormat): Promise<LineResult[]> {
  const out: LineResult[] = [];
  const lines = async function* () {
    for (const l of splitLines(text)) yield await Promise.resolve(l);
  };
  for await (const r of manifestResults(lines(), format, { defaultFlightDate: '2026-11-25' })) out.push(r);
  return out;
}

describe('CSV manifests', () => {
  it('read the same parcels as NDJSON, line numbers aside', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbManifestLine, { minLength: 1, maxLength: 8 }), fc.constantFrom('\r\n', '\n'), async (lines, eol) => {
        const fromJson = await results(lines.map((l) => JSON.stringify(l)).join('\n'), 'ndjson');
        const fromCsv = await results(toCsv(lines, eol), 'csv');
        const strip = (rs: LineResult[]) => rs.map((r) => (r.ok ? { ...r.parcel, line: 0 } : r.errors));
        expect(strip(fromCsv)).toEqual(strip(fromJson));
      }),
      { numRuns: 200 },
    );
  });

  it('name a record by the line it starts on, and an empty item group between two used ones by its index', async () => {
    const text = [
      'flight,awb,trackingNumber,seller.name,seller.country,consignee.name,consignee.street,consignee.postcode,consignee.city,consignee.country,grossMassKg,items.0.description,items.0.hsCode,items.0.quantity,items.0.value,items.0.currency,items.0.originCountry,items.1.description,items.1.hsCode,items.1.quantity,items.1.value,items.1.currency,items.1.originCountry',
      'CK231,112-12345675,RR473124829GB,"Shop, Ltd",CN,"Jan ""JJ"" Smit",Main St 1,1000,Brussels,BE,0.5,Case,392690,2,3.50,EUR,CN,,,,,,',
      'CK231,112-12345675,RR473124829GB,Shop,CN,Jan,"Main St 1\nFlat 2",1000,Brussels,BE,0.5,Case,392690,2,3.50,EUR,CN,,,,,,',
      'CK231,112-12345675,RR473124829GB,Shop,CN,Jan,Main St 1,1000,Brussels,BE,heavy,,,,,,,Cable,854442,1,2.10,EUR,CN',
      'too,few',
    ].join('\r\n');
    const rs = await results(text, 'csv');
    expect(rs[0]).toMatchObject({ ok: true, parcel: { line: 2, seller: { name: 'Shop, Ltd' }, consignee: { name: 'Jan "JJ" Smit' }, items: [{ quantity: 2 }] } });
    // A record spanning lines 3–4 (a quoted line break, refused in a street) is named by line 3.
    expect(rs[1]).toEqual({ ok: false, errors: [{ line: 3, field: 'consignee.street', reason: 'contains a control character' }] });
    expect(rs[2]!.ok ? [] : rs[2]!.errors.map((e) => [e.line, e.field])).toEqual([
      [5, 'items.0.description'],
      [5, 'items.0.hsCode'],
      [5, 'items.0.quantity'],
      [5, 'items.0.value'],
      [5, 'items.0.currency'],
      [5, 'items.0.originCountry'],
      [5, 'grossMassKg'],
    ]);
    expect(rs[3]).toEqual({ ok: false, errors: [{ line: 6, field: '(line)', reason: 'has 2 fields, the header has 23' }] });
  });

  it('refuse a header with unknown, repeated or missing columns, naming each', () => {
    const errors = CsvLayout.fromHeader(['\uFEFFflight', 'awb', 'awb', 'colour', 'items.100.hsCode', 'jane@example.org']);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'column "awb"', reason: 'appears twice' },
        { field: 'column "colour"', reason: 'unknown column' },
        { field: 'column "items.100.hsCode"', reason: 'unknown column' },
        { field: 'column 6', reason: 'unknown column' },
        { field: 'column "trackingNumber"', reason: 'missing: the field is required' },
        { field: 'column "items.0.hsCode"', reason: 'missing: the field is required' },
      ]),
    );
    expect(JSON.stringify(errors)).not.toContain('jane');
  });
});
