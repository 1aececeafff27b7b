import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../test/support/manifests.js';
import { CsvParser, type CsvRecord } from './csv.js';

/** Parses `text` fed in the given chunk sizes (cycled). */
function parse(text: string, sizes: readonly number[] = [text.length || 1], max?: number): CsvRecord[] {
  const parser = new CsvParser(max);
  const out: CsvRecord[] = [];
  for (let at = 0, k = 0; at < text.length; k++) {
    const size = Math.max(1, sizes[k % sizes.length]!);
    parser.push(text.slice(at, at + size), out);
    at += size;
  }
  parser.end(out);
  return out;
}

const fieldsOf = (records: readonly CsvRecord[]) => records.map((r) => r.error ?? r.fields);

describe('CsvParser', () => {
  it('reads RFC 4180: quotes, doubled quotes, separators and line breaks inside quotes, CRLF or LF', () => {
    const text = 'a,b,c\r\n"x,1","say ""hi""","two\r\nlines"\n,,\n"",plain,"end"';
    expect(parse(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x,1', 'say "hi"', 'two\r\nlines'] },
      { line: 4, fields: ['', '', ''] },
      { line: 5, fields: ['', 'plain', 'end'] },
    ]);
  });

  it('skips blank lines, keeps a lone CR inside a field, and reads a last line without a line break', () => {
    expect(fieldsOf(parse('a\n\n\r\nb\rc\nlast'))).toEqual([['a'], ['b\rc'], ['last']]);
    expect(parse('a\n\n""\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 3, fields: [''] },
    ]);
    expect(parse('')).toEqual([]);
    expect(parse('\r\n\n')).toEqual([]);
  });

  it('turns a syntax error into an error record and resumes at the next line', () => {
    const records = parse('ok,1\nab"c,2\n"x"y,3\n"open\nnext,4\n');
    expect(records).toEqual([
      { line: 1, fields: ['ok', '1'] },
      { line: 2, fields: [], error: 'a quote inside an unquoted field (RFC 4180: quote the whole field and double the quote)' },
      { line: 3, fields: [], error: 'text after the closing quote of a field' },
      { line: 4, fields: [], error: 'a quoted field is not closed before the end of the input' },
    ]);
  });

  it('bounds a record, so that a stray quote cannot swallow the file', () => {
    const text = `"never closed,1\n${'x,2\n'.repeat(50)}`;
    const records = parse(text, [7], 64);
    expect(records[0]).toEqual({ line: 1, fields: [], error: 'record longer than 64 characters' });
    // Reading resumed at a line feed after the bound: the later lines are records again.
    expect(records.at(-1)).toEqual({ line: 51, fields: ['x', '2'] });
    expect(parse(`${','.repeat(100)}\nok`, [13], 64).map((r) => r.error ?? r.fields)).toEqual(['record longer than 64 characters', ['ok']]);
  });

  it('gives the line on which each record starts', () => {
    expect(parse('a\n"b\nc\nd"\ne\n').map((r) => r.line)).toEqual([1, 2, 5]);
  });
});

describe('CsvParser: properties', () => {
  const cell = fc.oneof(fc.string(), fc.constantFrom('', '"', '""', ',', '\r\n', '\n', '\r', ' a ', 'é"ü'));
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 0, maxLength: 12 });
  const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 });

  it('reads back what an RFC 4180 writer wrote, whatever the chunking and line ends', () => {
    fc.assert(
      fc.property(table, fc.constantFrom('\r\n', '\n'), fc.boolean(), sizes, (rows, eol, finalEol, chunks) => {
        // A record of one empty field would be a blank line: the writer quotes it.
        const lines = rows.map((r) => (r.length === 1 && r[0] === '' ? '""' : r.map(csvCell).join(',')));
        const text = lines.join(eol) + (finalEol && lines.length > 0 ? eol : '');
        expect(fieldsOf(parse(text, chunks))).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, and reads any text the same in one piece or in chunks', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\r', '\n', ' ', 'é'), maxLength: 80 });
    fc.assert(
      fc.property(text, sizes, fc.integer({ min: 4, max: 40 }), (t, chunks, max) => {
        const whole = parse(t, [t.length || 1], max);
        expect(parse(t, chunks, max)).toEqual(whole);
        const lines = whole.map((r) => r.line);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
      }),
      { numRuns: 1000 },
    );
  });
});
