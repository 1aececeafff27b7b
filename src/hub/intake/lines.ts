/**
 * A byte stream (a file, standard input, an HTTP request body) → its lines, as they arrive. The stream is
 * pulled, so a slow consumer slows the reading (backpressure) and memory holds one chunk and one line. A
 * line longer than `maxLineChars` is cut there (the rest of it skipped): it is refused downstream, and a
 * body without line feeds cannot fill the memory.
 */
import { StringDecoder } from 'node:string_decoder';
import { MAX_LINE_LENGTH } from './validate.js';

export interface LineReaderOptions {
  readonly maxLineChars?: number;
  /** Called with the number of bytes read so far, after each chunk (for progress bars). */
  readonly onBytes?: (bytes: number) => void;
}

export async function* readLines(input: AsyncIterable<Buffer | string>, options: LineReaderOptions = {}): AsyncGenerator<string> {
  const max = options.maxLineChars ?? MAX_LINE_LENGTH;
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let overlong = false; // the current line has already been cut: skip up to its end
  let bytes = 0;
  for await (const chunk of input) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    options.onBytes?.(bytes);
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let from = 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', from)) {
      if (!overlong) yield pending + text.slice(from, at);
      pending = '';
      overlong = false;
      from = at + 1;
    }
    if (!overlong) {
      pending += text.slice(from);
      if (pending.length > max) {
        // One character more than allowed: the line is refused as too long, without being held.
        yield pending.slice(0, max + 1);
        pending = '';
        overlong = true;
      }
    }
  }
  const rest = pending + decoder.end();
  if (!overlong && rest.length > 0) yield rest.length > max ? rest.slice(0, max + 1) : rest;
}
