import { describe, expect, it } from 'vitest';
import { de } from './de.js';
import { en, PERSONAL_FIELDS, TRACKING_STATUSES, TRACKING_STEPS, type Catalogue } from './en.js';
import { fr } from './fr.js';
import { format, messagesFor, pickLanguage, trackingText } from './messages.js';
import { nl } from './nl.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('language choice', () => {
  it('keeps a remembered choice over the browser', () => {
    expect(pickLanguage('nl', ['de-DE', 'fr'])).toBe('nl');
  });
  it('takes the first browser language it has, by base tag', () => {
    expect(pickLanguage(null, ['es-ES', 'fr-BE', 'de'])).toBe('fr');
    expect(pickLanguage('xx', ['nl-BE'])).toBe('nl');
  });
  it('falls back to English', () => {
    expect(pickLanguage(null, ['es', 'pl'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
  });
});

describe('catalogues', () => {
  const others: [string, Catalogue][] = [['fr', fr], ['nl', nl], ['de', de]];
  it.each(others)('%s has every recipient and common text, non-empty, translated and with the same placeholders', (_lang, c) => {
    for (const section of ['common', 'recipient'] as const) {
      for (const [key, english] of Object.entries(en[section])) {
        const translated = (c[section] as Record<string, string>)[key];
        expect(translated, `${section}.${key}`).toBeTruthy();
        expect(placeholders(translated!), `${section}.${key}`).toEqual(placeholders(english));
        // Short words may be the same in two languages (Administration, Status); sentences may not.
        if (english.length > 20) expect(translated, `${section}.${key} is still English`).not.toBe(english);
      }
    }
    for (const [key, translated] of Object.entries(c.staff)) {
      expect(placeholders(translated), `staff.${key}`).toEqual(placeholders((en.staff as Record<string, string>)[key]!));
    }
  });
  it.each(others)('%s words every tracking status and step, and names every personal field', (_lang, c) => {
    for (const s of TRACKING_STATUSES) expect(c.tracking.status[s]).not.toBe(en.tracking.status[s]);
    for (const s of TRACKING_STEPS) expect(c.tracking.step[s]).not.toBe(en.tracking.step[s]);
    for (const f of PERSONAL_FIELDS) expect(c.tracking.field[f]).toBeTruthy();
  });
  it('falls back to English for staff texts not translated yet', () => {
    expect(messagesFor('de').flightsBoard).toBe(en.staff.flightsBoard);
    expect(messagesFor('de').signInTitle).toBe(de.staff.signInTitle);
  });
});

describe('format and tracking texts', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('{a} of {b}', { a: 1, b: 'two' })).toBe('1 of two');
    expect(format('{a} of {c}', { a: 1 })).toBe('1 of {c}');
  });
  it('words known codes and keeps the server text for an unknown status', () => {
    expect(trackingText('fr', 'status', 'dispatched', 'Handed over')).toBe(fr.tracking.status.dispatched);
    expect(trackingText('nl', 'status', 'teleported', 'Teleported')).toBe('Teleported');
    expect(trackingText('de', 'step', 'some_new_step', 'x')).toBe(de.tracking.step.other);
  });
});
