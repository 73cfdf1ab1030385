// One lottery, for the person who won it: where the `lottery_won` notice leads. It works after the
// live has ended too, which the room page does not: the winner gives the delivery details here.
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { AccountPage, useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { DeliveryForm } from './DeliveryForm';

export function LotteryPage({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <AccountPage name="lottery-page" title={t('lottery.page.title')}>
      <LotteryStanding id={id} />
    </AccountPage>
  );
}

function LotteryStanding({ id }: { id: string }) {
  const { t } = useI18n();
  const { client } = useApp();
  const lottery = useResource(() => client.lottery(id), [client, id]);
  useDropEndedSession(lottery.error);

  if (!lottery.data) return lottery.error ? <ErrorMessage error={lottery.error} /> : <Loading />;
  const l = lottery.data;
  const won = l.status === 'drawn' && Boolean(l.you?.won);
  return (
    <div class="stack" data-testid="lottery-page" data-status={l.status}>
      <dl class="facts">
        <div>
          <dt>{t('lottery.prize')}</dt>
          <dd data-testid="lottery-prize">{l.prize}</dd>
        </div>
        <div>
          <dt>{t('lottery.statusLabel')}</dt>
          <dd>{t(`lottery.status.${l.status}`)}</dd>
        </div>
      </dl>
      {won ? (
        <>
          <p class="message message--ok">{t('lottery.youWon', { prize: l.prize })}</p>
          <DeliveryForm lotteryId={l.id} prize={l.prize} />
        </>
      ) : (
        <p class="empty" data-testid="lottery-not-winner">
          {l.status === 'open' ? t('lottery.page.notDrawn') : t('lottery.page.notWinner')}
        </p>
      )}
      <p>
        <a href={paths.room(l.room_id)}>{t('lottery.page.toRoom')}</a>
      </p>
    </div>
  );
}
