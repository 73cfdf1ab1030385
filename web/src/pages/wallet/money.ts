import type { Lang } from '../../api/types';
import type { I18n } from '../../i18n';

/** Yuan from the server's cents, as the person's language writes them (¥6.00). */
export function formatYuan(cents: number, lang: Lang): string {
  // The narrow symbol: every amount on Veil is in yuan, so English needs no "CN¥" either.
  return new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(
    cents / 100,
  );
}

/** "60 coins", "1 coin", or with `signed` "+10 coins" / "-20 coins" for a movement. */
export function coinsText(count: number, t: I18n['t'], { signed = false } = {}): string {
  const shown = signed && count > 0 ? `+${count}` : String(count);
  return t(Math.abs(count) === 1 ? 'wallet.coinOne' : 'wallet.coinsCount', { count: shown });
}
