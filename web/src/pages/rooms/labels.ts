import type { PresenceCard, Room } from '../../api/types';
import type { I18n } from '../../i18n';

/** A card without a nickname (no profile consent) gets a generic label from its pseudonym. */
export function cardLabel(card: PresenceCard | undefined, t: I18n['t']): string {
  if (card?.nickname) return card.nickname;
  const tag = (card?.viewer ?? '').slice(0, 4).toUpperCase() || '????';
  return t('room.viewerLabel', { tag });
}

export function hostLabel(room: Room, t: I18n['t']): string {
  return room.host.nickname || t('room.hostUnnamed');
}
