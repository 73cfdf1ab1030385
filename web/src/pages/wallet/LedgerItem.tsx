// One line of the wallet's ledger as a person reads it: what happened (a recharge, a gift sent or
// received, a withdrawal), its details, when, and the coins in or out of which wallet.
import type { LedgerLine } from '../../api/types';
import { paths } from '../../app/router';
import { useI18n } from '../../i18n';
import { GiftIcon } from './GiftIcon';
import { giftName } from './gifts';
import { coinsText } from './money';

export function LedgerItem({ line }: { line: LedgerLine }) {
  const { t, formatTime } = useI18n();
  const amount = coinsText(line.amount, t, { signed: true });
  const title =
    line.kind === 'recharge'
      ? t('wallet.line.recharge')
      : line.kind === 'withdrawal'
        ? t('wallet.line.withdrawal')
        : line.wallet === 'earnings'
          ? t('wallet.line.giftReceived')
          : t('wallet.line.giftSent');
  const room = line.kind === 'gift' ? line.detail.room ?? line.reference : null;
  return (
    <li class="ledger__item" data-testid="ledger-line" data-kind={line.kind} data-wallet={line.wallet}>
      <div class="ledger__what">
        <strong>{title}</strong>
        {line.kind === 'gift' && line.detail.gift ? (
          <span class="ledger__detail">
            <GiftIcon gift={line.detail.gift} />{' '}
            {t('wallet.line.gift', { quantity: line.detail.quantity ?? 1, gift: giftName(line.detail.gift, t) })}
            {room ? (
              <>
                {' · '}
                <a href={paths.room(room)}>{t('wallet.line.room')}</a>
              </>
            ) : null}
          </span>
        ) : null}
        {line.kind === 'recharge' ? (
          <span class="ledger__detail">{t('wallet.line.order', { order: line.reference })}</span>
        ) : null}
        <time class="ledger__time" dateTime={new Date(line.at).toISOString()}>
          {formatTime(line.at)}
        </time>
      </div>
      <span class={`ledger__amount${line.amount < 0 ? ' ledger__amount--out' : ' ledger__amount--in'}`}>
        {line.wallet === 'earnings' ? t('wallet.line.amountEarnings', { coins: amount }) : amount}
      </span>
    </li>
  );
}
