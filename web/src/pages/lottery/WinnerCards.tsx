import type { PresenceCard } from '../../api/types';
import { useI18n } from '../../i18n';
import { cardLabel } from '../rooms/labels';

/** The winners as the room shows people: their presence cards, never an account. */
export function WinnerCards({ winners, you }: { winners: PresenceCard[]; you?: string | null }) {
  const { t } = useI18n();
  if (winners.length === 0) {
    return (
      <p class="empty" data-testid="lottery-no-winners">
        {t('lottery.noWinners')}
      </p>
    );
  }
  return (
    <ul class="presence" data-testid="lottery-winners">
      {winners.map((card) => (
        <li
          key={card.viewer}
          class={`presence__card${card.viewer === you ? ' presence__card--me' : ''}`}
          data-testid="lottery-winner"
          data-viewer={card.viewer}
        >
          <span class="presence__name">{cardLabel(card, t)}</span>
          {card.viewer === you ? <span class="badge">{t('room.you')}</span> : null}
        </li>
      ))}
    </ul>
  );
}
