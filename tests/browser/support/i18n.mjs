// The web app's own message catalogues, so tests look for what a person reads in either language.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './server.mjs';

const load = (lang) =>
  JSON.parse(readFileSync(path.join(repoRoot, 'web/src/i18n', `${lang}.json`), 'utf8'));

export const messages = { en: load('en'), 'zh-CN': load('zh-CN') };
export const en = messages.en;
export const zh = messages['zh-CN'];

/** A message with its {placeholders} turned into a pattern matching any value. */
export function pattern(text) {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/\\\{\w+\\\}/g, '.+'));
}

/** A message with its {placeholders} filled in, as the web app's t() does. */
export const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in vars ? String(vars[key]) : whole));
