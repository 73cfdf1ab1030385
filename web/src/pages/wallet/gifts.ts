// The gifts of GET /api/v1/gifts by name, in the person's language. A gift the server adds later
// still shows, under its id (and GiftIcon draws it as a wrapped box).
import type { I18n } from '../../i18n';

const KNOWN = ['rose', 'heart', 'rocket', 'castle'] as const;
type KnownGift = (typeof KNOWN)[number];

function isKnown(id: string): id is KnownGift {
  return (KNOWN as readonly string[]).includes(id);
}

export function giftName(id: string, t: I18n['t']): string {
  return isKnown(id) ? t(`gift.name.${id}`) : id;
}
