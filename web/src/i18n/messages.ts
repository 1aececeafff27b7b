// Pure helpers of the i18n layer (no React), unit-tested in messages.test.ts.
import { de } from './de.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { fr } from './fr.js';
import { nl } from './nl.js';

export const LANGUAGES = ['en', 'fr', 'nl', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', fr: 'Français', nl: 'Nederlands', de: 'Deutsch' };
const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, fr, nl, de };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The remembered choice, else the first of the browser's languages we have (fr-BE → fr), else English. */
export function pickLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export type Messages = Readonly<Record<MessageKey, string>>;

/** One flat table per language; staff texts not yet translated fall back to English. */
export function messagesFor(lang: Language): Messages {
  const c = CATALOGUES[lang];
  return { ...en.staff, ...c.staff, ...c.recipient, ...c.common } as Messages;
}

/** Public tracking's codes in words; an unknown code keeps the server's own (English) text. */
export function trackingText(lang: Language, kind: 'status' | 'step' | 'field', code: string, serverText: string): string {
  const table: Readonly<Record<string, string>> = CATALOGUES[lang].tracking[kind];
  return Object.hasOwn(table, code) ? (table[code] ?? serverText) : kind === 'step' ? CATALOGUES[lang].tracking.step.other : serverText;
}

/** `{name}` placeholders; a missing value leaves the placeholder visible rather than inventing text. */
export function format(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
