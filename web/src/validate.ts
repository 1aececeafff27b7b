// Input checks at the form (the server checks again): S10 tracking numbers, postcodes, one-time codes.

/** UPU S10 shape: two letters, nine digits, two letters; spaces people copy from labels are dropped. */
export function normaliseTrackingNumber(raw: string): string | null {
  const tn = raw.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{2}[0-9]{9}[A-Z]{2}$/.test(tn) ? tn : null;
}

export function normalisePostcode(raw: string): string | null {
  const pc = raw.trim();
  return pc.length >= 2 && pc.length <= 12 ? pc : null;
}

export function normaliseCode(raw: string): string | null {
  const code = raw.replace(/\s+/g, '');
  return code.length >= 4 && code.length <= 12 ? code : null;
}

/** Where to go after sign-in: a path of this app only (`/…`, not `//host` nor `/\host`), never an open redirect. */
export function safeNextPath(next: string | null): string | null {
  if (next === null || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}
