/**
 * A streaming CSV reader (RFC 4180): text arrives in chunks of any size, records come out as soon as they
 * are complete, and memory holds one record at most. Fields are separated by commas; a field may be quoted
 * with `"`, and then holds commas, line breaks and doubled quotes (`""` is one `"`). Records end with CRLF
 * or LF (a lone CR inside a field is data). Blank lines are skipped.
 *
 * Attacker-controlled input: a syntax error (a quote inside an unquoted field, text after a closing quote,
 * a record longer than `maxRecordChars`, a quoted field still open at the end) makes that record an error
 * record, and reading resumes at the next line feed — so one stray quote cannot swallow the rest of a
 * 250,000-line file into one field. Nothing here throws on input.
 */

export interface CsvRecord {
  /** The 1-based line on which the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
  /** Set when the record could not be read; `fields` is then empty. */
  readonly error?: string;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

// States of the reader between two characters.
const FIELD_START = 0; // nothing of the current field read yet
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // a quote inside a quoted field: its end, or the first of a doubled quote
const SKIP = 4; // after a syntax error: ignore everything up to the next line feed

const QUOTE_IN_UNQUOTED = 'a quote inside an unquoted field (RFC 4180: quote the whole field and double the quote)';
const TEXT_AFTER_QUOTE = 'text after the closing quote of a field';
const UNCLOSED = 'a quoted field is not closed before the end of the input';
const TOO_LONG = (max: number): string => `record longer than ${max} characters`;

const isSpecial = (c: number): boolean => c === COMMA || c === LF || c === CR || c === QUOTE;

export const DEFAULT_MAX_RECORD_CHARS = 262_144;

export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private state = FIELD_START;
  private quoted = false;
  private pendingCr = false;
  private error: string | undefined;
  private line = 1;
  private recordLine = 1;
  private recordChars = 0;

  constructor(private readonly maxRecordChars = DEFAULT_MAX_RECORD_CHARS) {}

  /** Reads `chunk`, appending every record it completes to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === LF) {
          this.endLine(out);
          i++;
          continue;
        }
        this.afterLoneCr();
      }
      switch (this.state) {
        case FIELD_START:
          if (c === QUOTE) {
            this.state = QUOTED;
            this.quoted = true;
            i++;
          } else if (c === COMMA) {
            this.endField();
            i++;
          } else if (c === LF) {
            this.endLine(out);
            i++;
          } else if (c === CR) {
            this.pendingCr = true;
            i++;
          } else {
            this.state = UNQUOTED;
          }
          break;
        case UNQUOTED: {
          // Scan up to the next special character, but no further than the record's bound.
          const limit = Math.min(n, i + this.budget());
          let j = i;
          while (j < limit && !isSpecial(chunk.charCodeAt(j))) j++;
          this.field += chunk.slice(i, j);
          this.recordChars += j - i;
          i = j;
          if (j === n) break;
          const d = chunk.charCodeAt(j);
          if (!isSpecial(d)) {
            this.fail(TOO_LONG(this.maxRecordChars)); // the character at j is the first over the bound
            break;
          }
          i++;
          if (d === COMMA) {
            this.endField();
            this.state = FIELD_START;
          } else if (d === LF) this.endLine(out);
          else if (d === CR) this.pendingCr = true;
          else this.fail(QUOTE_IN_UNQUOTED);
          break;
        }
        case QUOTED: {
          const limit = Math.min(n, i + this.budget());
          let j = i;
          for (let d = 0; j < limit && (d = chunk.charCodeAt(j)) !== QUOTE; j++) if (d === LF) this.line++;
          this.field += chunk.slice(i, j);
          this.recordChars += j - i;
          i = j;
          if (j === n) break;
          if (chunk.charCodeAt(j) !== QUOTE) this.fail(TOO_LONG(this.maxRecordChars));
          else {
            this.state = QUOTE_IN_QUOTED;
            i++;
          }
          break;
        }
        case QUOTE_IN_QUOTED:
          i++;
          if (c === QUOTE) {
            this.state = QUOTED;
            this.appendChar('"');
          } else if (c === COMMA) {
            this.endField();
            this.state = FIELD_START;
          } else if (c === LF) this.endLine(out);
          else if (c === CR) this.pendingCr = true;
          else this.fail(TEXT_AFTER_QUOTE);
          break;
        default: {
          // SKIP
          const j = chunk.indexOf('\n', i);
          if (j < 0) i = n;
          else {
            i = j + 1;
            this.endLine(out);
          }
        }
      }
    }
  }

  /** Ends the input: the last record, if the text did not end with a line break. */
  end(out: CsvRecord[]): void {
    if (this.pendingCr) {
      this.pendingCr = false;
      this.endLine(out);
      return;
    }
    if (this.state === QUOTED) this.fail(UNCLOSED);
    if (this.state !== FIELD_START || this.fields.length > 0 || this.quoted) this.endLine(out);
  }

  /** A CR not followed by LF: data inside an unquoted field; after a closing quote, an error. */
  private afterLoneCr(): void {
    if (this.state === QUOTE_IN_QUOTED) this.fail(TEXT_AFTER_QUOTE);
    else {
      this.state = UNQUOTED;
      this.appendChar('\r');
    }
  }

  /** Characters the current record may still take. */
  private budget(): number {
    return Math.max(0, this.maxRecordChars - this.recordChars);
  }

  private appendChar(ch: string): void {
    if (this.budget() === 0) this.fail(TOO_LONG(this.maxRecordChars));
    else {
      this.field += ch;
      this.recordChars++;
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    // Separators count too: a line of a million commas is a long record, not a million-field one.
    if (++this.recordChars > this.maxRecordChars) this.fail(TOO_LONG(this.maxRecordChars));
  }

  private fail(reason: string): void {
    this.error ??= reason;
    this.state = SKIP;
  }

  /** A line feed outside a quoted field: the record ends. */
  private endLine(out: CsvRecord[]): void {
    if (this.error !== undefined) out.push({ line: this.recordLine, fields: [], error: this.error });
    else {
      this.endField();
      const blank = this.fields.length === 1 && this.fields[0] === '' && !this.quoted;
      if (!blank) out.push({ line: this.recordLine, fields: this.fields });
    }
    this.fields = [];
    this.field = '';
    this.state = FIELD_START;
    this.quoted = false;
    this.error = undefined;
    this.recordChars = 0;
    this.line++;
    this.recordLine = this.line;
  }
}
