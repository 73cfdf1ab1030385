// The room's lottery as a viewer sees it: the prize and an Enter button while it is open (a visitor
// without an account is asked to log in), the winners once drawn, and for a winner the delivery
// form. The host draws from the studio; here they only see what their viewers see.
import { useRef, useState } from 'preact/hooks';
import type { LotteryEvent } from '../rooms/useChannel';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useFocusWhenLost } from '../../components/useFocusWhenLost';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { DeliveryForm } from './DeliveryForm';
import { WinnerCards } from './WinnerCards';

export function RoomLottery(props: { event: LotteryEvent; viewer: string | null; isHost: boolean; signedIn: boolean }) {
  const { event, viewer, isHost, signedIn } = props;
  const { lottery, winners } = event;
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, run } = useRequest();
  // Where this person stands (entered, won), asked again when the lottery is drawn.
  const standing = useResource(
    () => (signedIn && !isHost ? client.lottery(lottery.id) : Promise.resolve(null)),
    [client, lottery.id, lottery.status, signedIn, isHost],
  );
  const [enteredHere, setEnteredHere] = useState<string | null>(null);
  const entered = enteredHere === lottery.id || Boolean(standing.data?.you?.entered);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Entering replaces the Enter button with the confirmation.
  useFocusWhenLost(headingRef, [entered]);
  // The winners' cards carry this person's pseudonym when they won: no need to wait for the answer.
  const won =
    lottery.status === 'drawn' &&
    (Boolean(standing.data?.you?.won) || Boolean(viewer && winners?.some((card) => card.viewer === viewer)));

  const enter = () =>
    run(async () => {
      await client.enterLottery(lottery.id);
      setEnteredHere(lottery.id);
    });

  return (
    <section
      class="card lottery"
      aria-labelledby="room-lottery"
      data-testid="room-lottery"
      data-status={lottery.status}
    >
      <h2 id="room-lottery" ref={headingRef} tabIndex={-1}>
        {lottery.status === 'open' ? t('lottery.openHeading') : t('lottery.drawnHeading')}
      </h2>
      <dl class="facts">
        <div>
          <dt>{t('lottery.prize')}</dt>
          <dd data-testid="lottery-prize">{lottery.prize}</dd>
        </div>
        <div>
          <dt>{t('lottery.winnersLabel')}</dt>
          <dd>{lottery.winners_count}</dd>
        </div>
        {lottery.status === 'drawn' ? (
          <div>
            <dt>{t('lottery.entriesLabel')}</dt>
            <dd>{lottery.entries}</dd>
          </div>
        ) : null}
      </dl>

      {lottery.status === 'open' ? (
        isHost ? (
          <p class="hint">
            {t('lottery.hostHere')} <a href={paths.studio}>{t('room.toStudio')}</a>
          </p>
        ) : !signedIn ? (
          <div data-testid="lottery-signin">
            <p>{t('lottery.signInToEnter')}</p>
            <p>
              <a class="button" href={paths.login}>
                {t('room.signIn')}
              </a>
            </p>
          </div>
        ) : entered ? (
          <p class="message message--ok" role="status" data-testid="lottery-entered">
            {t('lottery.entered')}
          </p>
        ) : (
          <>
            <p class="hint">{t('lottery.enterHint')}</p>
            <button
              type="button"
              class="primary"
              disabled={busy}
              aria-label={t('lottery.enterLabel', { prize: lottery.prize })}
              onClick={() => void enter()}
            >
              {t('lottery.enter')}
            </button>
          </>
        )
      ) : (
        <>
          <h3>{t('lottery.winnersHeading')}</h3>
          {winners ? (
            <WinnerCards winners={winners} you={viewer} />
          ) : (
            <p class="hint">{t('lottery.winnersUnknown')}</p>
          )}
          {won ? (
            <>
              <p class="message message--ok" data-testid="lottery-won">
                {t('lottery.youWon', { prize: lottery.prize })}
              </p>
              <DeliveryForm lotteryId={lottery.id} prize={lottery.prize} />
            </>
          ) : entered && signedIn ? (
            <p data-testid="lottery-lost">{t('lottery.notThisTime')}</p>
          ) : null}
        </>
      )}
      <ErrorMessage error={error ?? (standing.error && !standing.data ? standing.error : null)} />
    </section>
  );
}

