import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { en, type Messages } from './en';
import { ko } from './ko';

export type Lang = 'en' | 'ko';
export const languages: readonly Lang[] = ['en', 'ko'];
const dictionaries: Record<Lang, Messages> = { en, ko };

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message id, checked by the compiler: `t('account.sessions.title')`. */
export type MessageKey = Leaves<Messages>;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

function lookup(messages: Messages, key: MessageKey): string {
  let node: unknown = messages;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  return typeof node === 'string' ? node : key;
}

/** `{name}` placeholders are replaced by `vars.name`. */
export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = lookup(dictionaries[lang], key);
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

interface I18n {
  lang: Lang;
  /** Changes the UI language here and now (the account setting is saved by the caller). */
  setLang(lang: Lang): void;
  t: Translate;
  date(value: string | Date | null | undefined, style?: 'date' | 'datetime' | 'time' | 'day'): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  relative(value: string | Date): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem('keel.lang');
    if (saved === 'en' || saved === 'ko') return saved;
  } catch {
    // storage blocked: fall through to the browser's language
  }
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    document.documentElement.lang = next;
    try {
      localStorage.setItem('keel.lang', next);
    } catch {
      // not persisted; the account setting still is
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
    const formats = {
      date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }),
      datetime: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
      time: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }),
      day: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }),
    };
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    return {
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      date(value, style = 'datetime') {
        if (value === null || value === undefined) return '—';
        const d = typeof value === 'string' ? new Date(value) : value;
        return Number.isNaN(d.getTime()) ? String(value) : formats[style].format(d);
      },
      number: (value, options) => new Intl.NumberFormat(locale, options).format(value),
      relative(value) {
        const seconds = (new Date(value).getTime() - Date.now()) / 1000;
        for (const [unit, size] of units) {
          if (Math.abs(seconds) >= size || unit === 'second')
            return rtf.format(Math.round(seconds / size), unit);
        }
        return '';
      },
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
