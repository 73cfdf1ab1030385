// Gifts as they arrive, for everyone in the room, the anonymous included: the gift's picture and
// who sent it slide in over the page for a moment, then fade. The chat lists every gift too, and
// that is what a screen reader announces, so this layer is hidden from assistive technology. With
// reduced motion the bubble does not move; it appears and fades (styles.css).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { GiftEvent } from '../../api/types';
import { useI18n } from '../../i18n';
import { GiftIcon } from '../wallet/GiftIcon';
import { giftName } from '../wallet/gifts';
import { cardLabel } from './labels';

/** As long as the CSS animation (`gift-burst`) runs. */
const SHOWN_MS = 2800;
/** More at once would cover the page; the chat keeps every one. */
const AT_ONCE = 4;

export function GiftBursts({ gifts }: { gifts: GiftEvent[] }) {
  const { t } = useI18n();
  // Gifts already listed when the page opened are not news.
  const seen = useRef<Set<string>>(new Set(gifts.map((g) => g.id)));
  const timers = useRef<number[]>([]);
  const [shown, setShown] = useState<GiftEvent[]>([]);

  useEffect(() => {
    const fresh = gifts.filter((g) => !seen.current.has(g.id));
    if (fresh.length === 0) return;
    for (const gift of fresh) {
      seen.current.add(gift.id);
      timers.current.push(
        window.setTimeout(() => setShown((list) => list.filter((g) => g.id !== gift.id)), SHOWN_MS),
      );
    }
    setShown((list) => [...list, ...fresh].slice(-AT_ONCE));
  }, [gifts]);
  useEffect(() => () => timers.current.forEach((timer) => window.clearTimeout(timer)), []);

  if (shown.length === 0) return null;
  return (
    <div class="gift-bursts" aria-hidden="true" data-testid="gift-bursts">
      {shown.map((gift) => (
        <div key={gift.id} class="gift-burst" data-testid="gift-burst" data-gift={gift.gift}>
          <span class="gift-burst__picture">
            <GiftIcon gift={gift.gift} />
          </span>
          <span class="gift-burst__text">
            <strong>{cardLabel(gift.from, t)}</strong>{' '}
            {t('room.gift.sent', { quantity: gift.quantity, gift: giftName(gift.gift, t) })}
          </span>
        </div>
      ))}
    </div>
  );
}
