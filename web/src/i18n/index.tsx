import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MessageKey } from './en.js';
import { format, LANGUAGES, LANGUAGE_NAMES, messagesFor, pickLanguage, type Language } from './messages.js';

export { LANGUAGES, LANGUAGE_NAMES, type Language };
export type { MessageKey };

const STORAGE_KEY = 'glasshub.lang';

interface I18n {
  readonly lang: Language;
  readonly setLang: (lang: Language) => void;
  readonly t: (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;
}

const Context = createContext<I18n | null>(null);

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the browser's languages decide
  }
}

export function I18nProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [lang, setLangState] = useState<Language>(() => pickLanguage(storedLanguage(), navigator.languages));
  const setLang = useCallback((next: Language) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered; still switched
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const messages = messagesFor(lang);
    return { lang, setLang, t: (key, vars) => format(messages[key], vars) };
  }, [lang, setLang]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(Context);
  if (i18n === null) throw new Error('useI18n outside <I18nProvider>');
  return i18n;
}
