import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expiryAfter, generateToken, hashToken, isWellFormedToken, parseDuration, TOKEN_PREFIX } from './tokens.js';

describe('API token format', () => {
  it('is gh_ and 49 base64url characters, greppable, and different every time', () => {
    const tokens = Array.from({ length: 200 }, generateToken);
    for (const t of tokens) {
      expect(t).toMatch(/^gh_[A-Za-z0-9_-]{49}$/);
      expect(t.startsWith(TOKEN_PREFIX)).toBe(true);
      expect(isWellFormedToken(t)).toBe(true);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('carries 32 random bytes', () => {
    const secret = Buffer.from(generateToken().slice(3, 46), 'base64url');
    expect(secret).toHaveLength(32);
  });

  it('refuses any single-character change (checksum), and anything that is not a token', () => {
    const token = generateToken();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.integer({ min: 3, max: token.length - 1 }), fc.constantFrom(...alphabet), (at, ch) => {
        fc.pre(token[at] !== ch);
        expect(isWellFormedToken(token.slice(0, at) + ch + token.slice(at + 1))).toBe(false);
      }),
    );
    for (const bad of [undefined, 42, '', 'gh_', `gh_${'A'.repeat(48)}`, `${token}A`, token.replace('gh_', 'GH_'), token.slice(1)]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });

  it('never accepts random strings of the right shape (the checksum holds 32 bits)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{49}$/), (body) => {
        expect(isWellFormedToken(`gh_${body}`)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('is stored as the SHA-256 of the token string', () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(hash).toHaveLength(32);
    expect(hash.toString('hex')).not.toContain(Buffer.from(token).toString('hex').slice(0, 16));
    expect(hashToken(token)).toEqual(hash);
    expect(hashToken(generateToken())).not.toEqual(hash);
    // A known answer: the hash covers the whole string, prefix included.
    expect(hashToken('gh_').toString('hex')).toBe('a55f3a93c3321b08a7104ec92f2b470414f4f1e08789bebc203f643f261d1edf');
  });
});

describe('expiry durations', () => {
  it('reads minutes, hours, days and weeks', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration(' 2w ')).toBe(14 * 86_400_000);
  });

  it('refuses anything else, saying what it accepts', () => {
    for (const bad of ['', '0d', '30', 'd', '1y', '-1d', '1.5d', '30 d']) {
      expect(() => parseDuration(bad)).toThrow(/is not a duration like 90m, 12h, 30d or 2w/);
    }
  });

  it('ends a lifetime at its start plus the duration, and never past the year 9999, where expiries stop sorting as text', () => {
    const at = new Date('2026-11-25T04:00:00.000Z');
    expect(expiryAfter('30d', at).toISOString()).toBe('2026-12-25T04:00:00.000Z');
    expect(expiryAfter('999999m', at).getTime()).toBe(at.getTime() + 999_999 * 60_000);
    expect(() => expiryAfter('999999w', at)).toThrow(/"999999w" would end after the year 9999/);
    expect(() => expiryAfter('0m', at)).toThrow(RangeError);
    // The refusal is what keeps this from happening: the ISO text of such an instant sorts before today's.
    expect(new Date(at.getTime() + parseDuration('999999w')).toISOString() < at.toISOString()).toBe(true);
  });
});
