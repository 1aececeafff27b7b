/**
 * ASCII helpers shared by the identifier parsers. Internal to `domain/` (not exported from index).
 *
 * Loops over char codes instead of regular expressions: linear, no backtracking, no match arrays.
 * Only ASCII counts: `\d` or `toUpperCase()` would let Unicode digits and letters (e.g. 'ß' → 'SS')
 * slip into identifiers that the standards define over ASCII.
 */

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** True when every char of `s` in [from, to) is an ASCII digit. */
export function allDigits(s: string, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** True when every char of `s` in [from, to) is an ASCII capital letter. */
export function allUpper(s: string, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) if (!isUpper(s.charCodeAt(i))) return false;
  return true;
}

/** True when every char of `s` in [from, to) is an ASCII capital letter or digit. */
export function allUpperOrDigit(s: string, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isUpper(c) && !isDigit(c)) return false;
  }
  return true;
}

/**
 * `raw` without ASCII spaces, tabs and hyphens, ASCII letters upper-cased: the form in which labels,
 * scanners and spreadsheets disagree least. Returns `raw` itself (no allocation) when it is already
 * compact, and `undefined` when the result would exceed `maxLength` (bounds the work on hostile input).
 */
export function compact(raw: string, maxLength: number): string | undefined {
  let clean = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 32 || c === 9 || c === 45 || (c >= 97 && c <= 122)) {
      clean = false;
      break;
    }
  }
  if (clean) return raw.length <= maxLength ? raw : undefined;
  // Separators are at most a few per identifier; a much longer input is refused before copying.
  if (raw.length > maxLength * 2 + 8) return undefined;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 32 || c === 9 || c === 45) continue;
    out += c >= 97 && c <= 122 ? String.fromCharCode(c - 32) : raw[i];
    if (out.length > maxLength) return undefined;
  }
  return out;
}

