// Every string a person sees comes from en.json or zh-CN.json. The compiler checks that both files
// have the same keys: a key missing from one language is a type error, not a blank on screen.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang, LocalizedText } from '../api/types';
import { LANGS } from '../api/types';
import en from './en.json';
import zhCN from './zh-CN.json';

export type { Lang } from '../api/types';
export type MessageKey = keyof typeof en;
type Catalog = Record<MessageKey, string>;

const zhCatalog: Catalog = zhCN satisfies Catalog;
// And the other way round: a key only in zh-CN.json fails here.
const enCatalog: Record<keyof typeof zhCN, string> & Catalog = en;

const CATALOGS: Record<Lang, Catalog> = { 'zh-CN': zhCatalog, en: enCatalog };

export const LANG_STORAGE_KEY = 'veil.lang';

export type Vars = Record<string, string | number>;

/** `{name}` placeholders are filled from `vars`; an unknown placeholder stays visible. */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = CATALOGS[lang][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The remembered choice, else the browser's language: Chinese of any region → zh-CN. */
export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(LANG_STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // Storage can be unavailable (private windows, policies); fall back to the browser.
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const lower = (tag ?? '').toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not remembered, still switched for this visit.
  }
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  /** The person's language out of a text the server sent in both. */
  pick: (text: LocalizedText) => string;
  formatTime: (ms: number) => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  const timeFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    lang,
    setLang,
    t: (key, vars) => translate(lang, key, vars),
    pick: (text) => text[lang] || text[lang === 'en' ? 'zh-CN' : 'en'] || '',
    formatTime: (ms) => timeFormat.format(new Date(ms)),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('zh-CN', () => undefined));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
