// The host's lottery for one live room (C11): open one (prize, number of winners), watch the entry
// count, draw, see the winners' cards, then read each winner's delivery details and mark the prize
// sent. The server has no list of a room's lotteries, so the one opened here is known only while
// this page stays open (docs/api.md).
import type { VNode } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Delivery, Lottery, PresenceCard } from '../../api/types';
import { LOTTERY_PRIZE_MAX, LOTTERY_PRIZE_MIN, LOTTERY_WINNERS_MAX } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useFocusWhenLost } from '../../components/useFocusWhenLost';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useI18n } from '../../i18n';
import { WinnerCards } from '../lottery/WinnerCards';
import { characterCount } from './StudioPage';

// Entries are not announced on the channel, so the count is asked for while the lottery is open.
const ENTRIES_POLL_MS = 3000;

export interface HostLottery {
  lottery: Lottery;
  /** After the draw. */
  winners: PresenceCard[] | null;
}

export function StudioLottery(props: {
  roomId: string;
  live: boolean;
  current: HostLottery | null;
  onChange: (next: HostLottery) => void;
}) {
  const { roomId, live, current, onChange } = props;
  const { t } = useI18n();
  const { client } = useApp();
  // After a reload the host finds the room's latest lottery (and its deliveries) again.
  useEffect(() => {
    if (current) return;
    let stale = false;
    client.roomLotteries(roomId).then(
      (list) => {
        const latest = list[0];
        if (!stale && latest) onChange({ lottery: latest, winners: latest.winners ?? null });
      },
      () => undefined,  // nothing to restore: the form to open one is shown as before
    );
    return () => {
      stale = true;
    };
  }, [client, roomId]);
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Opening and drawing replace the button that was pressed.
  useFocusWhenLost(headingRef, [current?.lottery.id, current?.lottery.status]);
  if (!live && !current) return null;
  return (
    <section class="lottery-host" aria-labelledby={headingId} data-testid="studio-lottery">
      <h4 id={headingId} ref={headingRef} tabIndex={-1}>
        {t('lottery.studio.heading')}
      </h4>
      {current?.lottery.status === 'open' ? (
        <OpenLottery current={current} onChange={onChange} />
      ) : (
        <>
          {current ? <DrawnLottery current={current} /> : <p class="empty">{t('lottery.studio.none')}</p>}
          {live ? <OpenLotteryForm roomId={roomId} again={Boolean(current)} onOpened={onChange} /> : null}
        </>
      )}
    </section>
  );
}

function OpenLotteryForm(props: { roomId: string; again: boolean; onOpened: (next: HostLottery) => void }) {
  const { roomId, again, onOpened } = props;
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const [prize, setPrize] = useState('');
  const [winners, setWinners] = useState('1');
  const [checked, setChecked] = useState(false);

  const prizeCount = characterCount(prize.trim());
  const prizeWrong = prizeCount < LOTTERY_PRIZE_MIN || prizeCount > LOTTERY_PRIZE_MAX;
  const winnersNumber = /^\d+$/.test(winners.trim()) ? Number(winners.trim()) : Number.NaN;
  const winnersWrong = !(winnersNumber >= 1 && winnersNumber <= LOTTERY_WINNERS_MAX);

  const submit = onSubmit(async () => {
    // Checked here first, so the host reads which field is wrong next to it; the server checks again.
    setChecked(true);
    if (prizeWrong || winnersWrong) return;
    const lottery = await client.openLottery(roomId, prize.trim(), winnersNumber);
    onOpened({ lottery, winners: null });
    setPrize('');
    setWinners('1');
    setChecked(false);
  });

  return (
    <form onSubmit={submit} noValidate data-testid="open-lottery">
      <fieldset class="plain" disabled={busy}>
        <legend>{again ? t('lottery.studio.openAgain') : t('lottery.studio.openHeading')}</legend>
        <CheckedField
          label={t('lottery.studio.prize')}
          hint={t('lottery.studio.prizeHint', { min: LOTTERY_PRIZE_MIN, max: LOTTERY_PRIZE_MAX, count: prizeCount })}
          problem={
            checked && prizeWrong
              ? t('lottery.studio.prizeInvalid', { min: LOTTERY_PRIZE_MIN, max: LOTTERY_PRIZE_MAX })
              : null
          }
        >
          {(ids) => (
            <input
              {...ids}
              name="prize"
              type="text"
              maxLength={LOTTERY_PRIZE_MAX + 20}
              value={prize}
              onInput={(e) => setPrize((e.target as HTMLInputElement).value)}
            />
          )}
        </CheckedField>
        <CheckedField
          label={t('lottery.studio.winners')}
          hint={t('lottery.studio.winnersHint', { max: LOTTERY_WINNERS_MAX })}
          problem={checked && winnersWrong ? t('lottery.studio.winnersInvalid', { max: LOTTERY_WINNERS_MAX }) : null}
        >
          {(ids) => (
            <input
              {...ids}
              name="winners"
              type="number"
              min={1}
              max={LOTTERY_WINNERS_MAX}
              step={1}
              inputMode="numeric"
              value={winners}
              onInput={(e) => setWinners((e.target as HTMLInputElement).value)}
            />
          )}
        </CheckedField>
        <button type="submit" class="primary">
          {t('lottery.studio.open')}
        </button>
      </fieldset>
      <ErrorMessage error={error} />
    </form>
  );
}

interface CheckedIds {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A <Field> whose control can be marked wrong, with the reason read out beside the hint. */
function CheckedField(props: {
  label: string;
  hint: string;
  problem: string | null;
  children: (ids: CheckedIds) => VNode;
}) {
  const { label, hint, problem, children } = props;
  const problemId = useId();
  return (
    <Field
      label={label}
      hint={
        <>
          {hint}
          {problem ? (
            <span class="field-problem" id={problemId} role="alert">
              {' '}
              {problem}
            </span>
          ) : null}
        </>
      }
    >
      {({ id, describedBy }) =>
        children({ id, 'aria-describedby': describedBy, 'aria-invalid': problem ? true : undefined })
      }
    </Field>
  );
}

function OpenLottery({ current, onChange }: { current: HostLottery; onChange: (next: HostLottery) => void }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, run } = useRequest();
  const { lottery } = current;

  useEffect(() => {
    const timer = window.setInterval(() => {
      client.lottery(lottery.id).then(
        (fresh) => {
          // Drawn elsewhere (another tab of this host): the winners come with the next draw answer only.
          if (fresh.status === 'open') onChange({ lottery: fresh, winners: null });
        },
        () => undefined,
      );
    }, ENTRIES_POLL_MS);
    return () => window.clearInterval(timer);
  }, [client, lottery.id, onChange]);

  const draw = () =>
    run(async () => {
      const result = await client.drawLottery(lottery.id);
      onChange({ lottery: result.lottery, winners: result.winners });
    });

  return (
    <div data-testid="lottery-open">
      <LotteryFacts lottery={lottery} />
      <p class="hint">{t('lottery.studio.openHint')}</p>
      <button
        type="button"
        class="primary"
        disabled={busy}
        aria-label={t('lottery.studio.drawLabel', { prize: lottery.prize })}
        onClick={() => void draw()}
      >
        {t('lottery.studio.draw')}
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}

function LotteryFacts({ lottery }: { lottery: Lottery }) {
  const { t } = useI18n();
  return (
    <dl class="facts">
      <div>
        <dt>{t('lottery.prize')}</dt>
        <dd data-testid="studio-lottery-prize">{lottery.prize}</dd>
      </div>
      <div>
        <dt>{t('lottery.winnersLabel')}</dt>
        <dd>{lottery.winners_count}</dd>
      </div>
      <div>
        <dt>{t('lottery.entriesLabel')}</dt>
        <dd>
          <span data-testid="lottery-entries" aria-live="polite">
            {lottery.entries}
          </span>
        </dd>
      </div>
      <div>
        <dt>{t('lottery.statusLabel')}</dt>
        <dd>{t(`lottery.status.${lottery.status}`)}</dd>
      </div>
    </dl>
  );
}

function DrawnLottery({ current }: { current: HostLottery }) {
  const { t } = useI18n();
  return (
    <div data-testid="lottery-drawn">
      <LotteryFacts lottery={current.lottery} />
      <h5>{t('lottery.winnersHeading')}</h5>
      {current.winners ? <WinnerCards winners={current.winners} /> : <p class="hint">{t('lottery.winnersUnknown')}</p>}
      {current.lottery.entries > 0 ? <Deliveries lotteryId={current.lottery.id} /> : null}
    </div>
  );
}

/**
 * The winners' delivery details. Each read is audited on the server, so they are fetched when the
 * host asks, not polled.
 */
function Deliveries({ lotteryId }: { lotteryId: string }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, run } = useRequest();
  const [list, setList] = useState<Delivery[] | null>(null);
  const load = () =>
    run(async () => {
      setList(await client.deliveries(lotteryId));
    });

  return (
    <div class="deliveries" data-testid="deliveries">
      <h5>{t('lottery.deliveries.heading')}</h5>
      <p class="hint">{t('lottery.deliveries.hint')}</p>
      <button type="button" class="secondary small" disabled={busy} onClick={() => void load()}>
        {list ? t('lottery.deliveries.refresh') : t('lottery.deliveries.show')}
      </button>
      {busy && !list ? <Loading /> : null}
      <ErrorMessage error={error} />
      {list ? (
        list.length === 0 ? (
          <p class="empty">{t('lottery.deliveries.empty')}</p>
        ) : (
          <ol class="plain-list deliveries__list">
            {list.map((delivery, index) => (
              <DeliveryItem
                key={delivery.entry_id}
                lotteryId={lotteryId}
                delivery={delivery}
                number={index + 1}
                onDelivered={() => void load()}
              />
            ))}
          </ol>
        )
      ) : null}
    </div>
  );
}

function DeliveryItem(props: { lotteryId: string; delivery: Delivery; number: number; onDelivered: () => void }) {
  const { lotteryId, delivery, number, onDelivered } = props;
  const { t, formatTime } = useI18n();
  const { client } = useApp();
  const { busy, error, run } = useRequest();
  const [done, setDone] = useState(false);
  const who = delivery.name ?? t('lottery.deliveries.winner', { number });

  const markSent = () =>
    run(async () => {
      await client.markDelivered(lotteryId, delivery.entry_id);
      setDone(true);
      // The server's time of sending, which the 30 days run from.
      onDelivered();
    });

  return (
    <li class="card delivery-item" data-testid="delivery" data-submitted={delivery.submitted ? 'true' : 'false'}>
      <p>
        <strong>{t('lottery.deliveries.winner', { number })}</strong>{' '}
        {delivery.delivered_at ? (
          <span class="badge badge--ok">{t('lottery.deliveries.sent')}</span>
        ) : delivery.submitted ? (
          <span class="badge badge--separate">{t('lottery.deliveries.toSend')}</span>
        ) : null}
      </p>
      {delivery.submitted ? (
        <dl class="facts">
          <div>
            <dt>{t('lottery.delivery.name')}</dt>
            <dd data-testid="delivery-name">{delivery.name}</dd>
          </div>
          <div>
            <dt>{t('lottery.delivery.phone')}</dt>
            <dd data-testid="delivery-phone">{delivery.phone}</dd>
          </div>
          <div>
            <dt>{t('lottery.delivery.address')}</dt>
            <dd data-testid="delivery-address" class="delivery-address">
              {delivery.address}
            </dd>
          </div>
        </dl>
      ) : (
        <p class="empty">{t('lottery.deliveries.waiting')}</p>
      )}
      {delivery.delivered_at ? (
        <p data-testid="delivered-at">
          {t('lottery.deliveries.sentAt', { time: formatTime(delivery.delivered_at) })}
        </p>
      ) : delivery.submitted ? (
        <button
          type="button"
          class="secondary small"
          disabled={busy}
          aria-label={t('lottery.deliveries.markSentLabel', { who })}
          onClick={() => void markSent()}
        >
          {t('lottery.deliveries.markSent')}
        </button>
      ) : null}
      {done ? <Notice>{t('lottery.deliveries.marked')}</Notice> : null}
      <ErrorMessage error={error} />
    </li>
  );
}
