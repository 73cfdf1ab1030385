// One live room: who hosts it, who is here (presence cards), the chat with the gifts sent, and for a
// signed-in viewer the composer, gifts, reports, asking to co-host and the room's lottery. The host moderates from here and
// decides co-host requests. A visitor without an account watches with an anonymous ticket (POST …/watch).
import { useEffect, useId, useState } from 'preact/hooks';
import type { CohostRequest, GiftEvent, ModerationAction, ReportReason, Room } from '../../api/types';
import { REPORT_REASONS } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { PageTitle } from '../../components/PageTitle';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { RoomLottery } from '../lottery/RoomLottery';
import { PublishPanel } from '../studio/PublishPanel';
import { GiftIcon } from '../wallet/GiftIcon';
import { giftName } from '../wallet/gifts';
import { coinsText } from '../wallet/money';
import { CohostRequests } from './CohostRequests';
import { GiftBar } from './GiftBar';
import { GiftBursts } from './GiftBursts';
import { LivePlayer } from './LivePlayer';
import { cardLabel, hostLabel } from './labels';
import type { Channel, ChatMessage } from './useChannel';
import { useChannel } from './useChannel';

export const MESSAGE_MAX = 300;

export function RoomPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { client, token } = useApp();
  const room = useResource(() => client.room(id), [client, id]);

  if (!room.data) {
    return (
      <article class="room">
        <PageTitle>{t('room.titleLoading')}</PageTitle>
        {room.error ? <ErrorMessage error={room.error} /> : <Loading />}
        <p>
          <a href={paths.rooms}>{t('room.backToRooms')}</a>
        </p>
      </article>
    );
  }
  return <RoomView room={room.data} token={token} onChanged={room.set} />;
}

function RoomView({ room, token, onChanged }: { room: Room; token: string | null; onChanged: (room: Room) => void }) {
  const { t, formatTime } = useI18n();
  const { client, me } = useApp();
  const isHost = Boolean(me && me.id === room.host.id);
  // Anonymous viewers watch with a ticket; nothing is stored about them on the server.
  const ticket = useResource(
    () => (token || room.status === 'ended' ? Promise.resolve(null) : client.watchTicket(room.id)),
    [client, room.id, token, room.status],
  );
  const credential =
    room.status === 'ended' ? null : token ? { session: token } : ticket.data ? { ticket: ticket.data } : null;
  const channel = useChannel(room.id, credential);
  // The channel tells of a lottery only when it opens or is drawn: one already open when this page
  // arrived is found by asking.
  const earlier = useResource(() => (room.status === 'live' ? client.roomLotteries(room.id) : Promise.resolve([])), [client, room.id]);
  const openBefore = earlier.data?.find((l) => l.status === 'open');
  const lottery = channel.lottery ?? (openBefore ? { lottery: openBefore, winners: null } : null);
  const ended = room.status === 'ended' || channel.state === 'ended';
  const live = room.status === 'live' && !ended;

  useEffect(() => {
    if (channel.state === 'ended' && room.status !== 'ended') onChanged({ ...room, status: 'ended' });
  }, [channel.state]);

  const viewers = channel.viewers ?? room.viewers;

  return (
    <article class="room" data-channel={channel.state}>
      <PageTitle>{room.title}</PageTitle>
      <dl class="facts room__facts">
        <div>
          <dt>{t('room.host')}</dt>
          <dd data-testid="room-host">{hostLabel(room, t)}</dd>
        </div>
        <div>
          <dt>{t('room.modeLabel')}</dt>
          <dd>{t(`room.mode.${room.mode}`)}</dd>
        </div>
        <div>
          <dt>{t('room.statusLabel')}</dt>
          <dd>
            <span class={`badge${live ? ' badge--live' : ' badge--separate'}`} data-testid="room-status">
              {t(`room.status.${ended ? 'ended' : room.status}`)}
            </span>
          </dd>
        </div>
        {live ? (
          <div>
            <dt>{t('room.viewers')}</dt>
            <dd>
              <span data-testid="viewer-count" aria-live="polite">
                {viewers}
              </span>
            </dd>
          </div>
        ) : null}
        {room.status === 'scheduled' && room.scheduled_at ? (
          <div>
            <dt>{t('room.scheduledAt')}</dt>
            <dd>
              <time dateTime={new Date(room.scheduled_at).toISOString()}>{formatTime(room.scheduled_at)}</time>
            </dd>
          </div>
        ) : null}
      </dl>

      {live ? <LivePlayer roomId={room.id} voiceOnly={room.mode === 'voice'} credential={token ?? ticket.data ?? null} /> : null}

      {ended ? (
        <div class="message message--warn" data-testid="room-ended">
          <p>{t('room.ended')}</p>
          <p>
            <a href={paths.rooms}>{t('room.backToRooms')}</a>
          </p>
        </div>
      ) : null}
      {channel.state === 'removed' && channel.removed ? (
        <div class="message message--error" role="alert" data-testid="room-removed">
          <p>{t(channel.removed.kind === 'ban' ? 'room.removedBan' : 'room.removedKick')}</p>
          {channel.removed.reason ? <p>{t('room.removedReason', { reason: channel.removed.reason })}</p> : null}
        </div>
      ) : null}
      {channel.state === 'refused' ? <ErrorMessage error={channel.error} /> : null}
      {channel.state === 'reconnecting' ? (
        <p class="message message--warn" role="status">
          {t('room.reconnecting')}
        </p>
      ) : null}
      {ticket.error ? <ErrorMessage error={ticket.error} /> : null}
      {room.status === 'scheduled' ? <p class="empty">{t('room.notLiveYet')}</p> : null}

      {/* A drawn lottery stays after the live ends, so a winner can still give the delivery details. */}
      {lottery && channel.state !== 'removed' && (!ended || lottery.lottery.status === 'drawn') ? (
        <RoomLottery event={lottery} viewer={channel.viewer} isHost={isHost} signedIn={Boolean(token)} />
      ) : null}
      {!ended && channel.state !== 'removed' ? (
        <>
          <Presence room={room} channel={channel} isHost={isHost} />
          {channel.onAir.length > 0 ? (
            <section aria-labelledby="room-onair" data-testid="on-air">
              <h2 id="room-onair">{t('room.onAirHeading')}</h2>
              <ul class="presence">
                {channel.onAir.map((event) => (
                  <li key={event.card.viewer} class="presence__card">
                    {cardLabel(event.card, t)}{' '}
                    {event.masked ? <span class="badge badge--separate">{t('cohost.maskedBadge')}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {isHost && live ? <CohostRequests roomId={room.id} /> : null}
          <Chat room={room} channel={channel} isHost={isHost} signedIn={Boolean(token)} />
          {live ? <Composer channel={channel} signedIn={Boolean(token)} /> : null}
          {live && token && !isHost ? <GiftBar roomId={room.id} /> : null}
          {live && token && !isHost ? <AskToCohost room={room} channel={channel} /> : null}
        </>
      ) : null}
      {isHost ? (
        <p>
          <a href={paths.studio}>{t('room.toStudio')}</a>
        </p>
      ) : null}
      {channel.state !== 'removed' ? <GiftBursts gifts={channel.gifts} /> : null}
    </article>
  );
}

function Presence({ room, channel, isHost }: { room: Room; channel: Channel; isHost: boolean }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="room-presence">
      <h2 id="room-presence">{t('room.presenceHeading')}</h2>
      {channel.presence.length === 0 ? (
        <p class="empty">{t('room.presenceEmpty')}</p>
      ) : (
        <ul class="presence" data-testid="presence">
          {channel.presence.map((card) => (
            <li
              key={card.viewer}
              class={`presence__card${card.viewer === channel.viewer ? ' presence__card--me' : ''}`}
              data-testid="presence-card"
              data-viewer={card.viewer}
            >
              <span class="presence__name">{cardLabel(card, t)}</span>
              {card.viewer === channel.viewer ? <span class="badge">{t('room.you')}</span> : null}
              {isHost && card.viewer !== channel.viewer ? (
                <Moderate roomId={room.id} target={{ viewer: card.viewer }} who={cardLabel(card, t)} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Chat(props: { room: Room; channel: Channel; isHost: boolean; signedIn: boolean }) {
  const { room, channel, isHost, signedIn } = props;
  const { t } = useI18n();
  // Messages and gifts in the order the room numbered them, the same for everyone.
  const feed = [
    ...channel.messages.map((message) => ({ seq: message.seq, message, gift: null })),
    ...channel.gifts.map((gift) => ({ seq: gift.seq, message: null, gift })),
  ].sort((a, b) => a.seq - b.seq);
  return (
    <section aria-labelledby="room-chat">
      <h2 id="room-chat">{t('room.chatHeading')}</h2>
      {feed.length === 0 ? (
        <p class="empty" data-testid="chat-empty">
          {t('room.chatEmpty')}
        </p>
      ) : (
        <ol class="chat" data-testid="chat" aria-live="polite">
          {feed.map((item) =>
            item.message ? (
              <ChatItem
                key={item.message.id}
                room={room}
                message={item.message}
                mine={item.message.author.viewer === channel.viewer}
                isHost={isHost}
                signedIn={signedIn}
              />
            ) : item.gift ? (
              <GiftItem key={`gift-${item.gift.id}`} gift={item.gift} mine={item.gift.from.viewer === channel.viewer} />
            ) : null,
          )}
        </ol>
      )}
    </section>
  );
}

function GiftItem({ gift, mine }: { gift: GiftEvent; mine: boolean }) {
  const { t } = useI18n();
  return (
    <li class="chat__item chat__item--gift" data-testid="chat-gift">
      <p class="chat__meta">
        <span class="badge badge--gift">{t('room.gift.badge')}</span> <strong class="chat__author">{cardLabel(gift.from, t)}</strong>{' '}
        {mine ? <span class="badge">{t('room.you')}</span> : null}
      </p>
      <p class="chat__text">
        <GiftIcon gift={gift.gift} />{' '}
        {t('room.gift.sent', { quantity: gift.quantity, gift: giftName(gift.gift, t) })}{' '}
        <span class="chat__coins">{t('room.gift.worth', { coins: coinsText(gift.coins, t) })}</span>
      </p>
    </li>
  );
}

function ChatItem(props: { room: Room; message: ChatMessage; mine: boolean; isHost: boolean; signedIn: boolean }) {
  const { room, message, mine, isHost, signedIn } = props;
  const { t, formatTime } = useI18n();
  const who = cardLabel(message.author, t);
  return (
    <li class={`chat__item chat__item--${message.kind}`} data-testid="chat-message" data-kind={message.kind}>
      <p class="chat__meta">
        {message.kind === 'question' ? <span class="badge badge--separate">{t('room.question')}</span> : null}{' '}
        <strong class="chat__author">{who}</strong>{' '}
        <time dateTime={new Date(message.at).toISOString()}>{formatTime(message.at)}</time>
      </p>
      <p class="chat__text">{message.text}</p>
      {!mine && (signedIn || isHost) ? (
        <div class="chat__actions">
          {isHost ? (
            <Moderate roomId={room.id} target={{ message_id: message.id, viewer: message.author.viewer }} who={who} />
          ) : (
            <ReportForm roomId={room.id} messageId={message.id} who={who} />
          )}
        </div>
      ) : null}
    </li>
  );
}

/** The host's actions on a person or a message, each with a reason the person reads. */
function Moderate(props: { roomId: string; target: { message_id?: string; viewer?: string }; who: string }) {
  const { roomId, target, who } = props;
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, run } = useRequest();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const reasonId = useId();
  const missingId = useId();

  const act = (action: ModerationAction) =>
    run(async () => {
      setDone(null);
      // The person reads the reason in a notice: the page asks for one before anything is sent.
      if ([...reason.trim()].length < 2) {
        setMissing(true);
        return;
      }
      setMissing(false);
      const body =
        action === 'delete_message'
          ? { action, message_id: target.message_id, reason: reason.trim() }
          : { action, viewer: target.viewer, reason: reason.trim(), ...(action === 'mute' ? { minutes: 10 } : {}) };
      await client.moderate(roomId, body);
      setDone(t(`moderation.done.${action}`));
    });

  return (
    <details class="moderate" data-testid="moderate">
      <summary aria-label={t('moderation.openLabel', { who })}>{t('moderation.open')}</summary>
      <div class="moderate__body">
        <label for={reasonId}>{t('moderation.reason')}</label>
        <input
          id={reasonId}
          type="text"
          maxLength={200}
          value={reason}
          disabled={busy}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? missingId : undefined}
          onInput={(e) => setReason((e.target as HTMLInputElement).value)}
        />
        <p class="hint">{t('moderation.reasonHint')}</p>
        {missing ? (
          <p class="message message--error" role="alert" id={missingId}>
            {t('moderation.reasonNeeded')}
          </p>
        ) : null}
        <div class="button-row">
          {target.message_id ? (
            <button type="button" class="secondary small" disabled={busy} onClick={() => void act('delete_message')}>
              {t('moderation.delete')}
            </button>
          ) : null}
          {target.viewer ? (
            <>
              <button type="button" class="secondary small" disabled={busy} onClick={() => void act('mute')}>
                {t('moderation.mute')}
              </button>
              <button type="button" class="secondary small" disabled={busy} onClick={() => void act('kick')}>
                {t('moderation.kick')}
              </button>
              <button type="button" class="secondary small" disabled={busy} onClick={() => void act('ban')}>
                {t('moderation.ban')}
              </button>
            </>
          ) : null}
        </div>
        <Notice>{done}</Notice>
        <ErrorMessage error={error} />
      </div>
    </details>
  );
}

function ReportForm({ roomId, messageId, who }: { roomId: string; messageId: string; who: string }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const [reason, setReason] = useState<ReportReason>('spam');
  const [sent, setSent] = useState(false);
  const selectId = useId();
  const submit = onSubmit(async () => {
    await client.report({ room_id: roomId, message_id: messageId, reason });
    setSent(true);
  });
  return (
    <details class="moderate" data-testid="report">
      <summary aria-label={t('report.openLabel', { who })}>{t('report.open')}</summary>
      {sent ? (
        <Notice>{t('report.sent')}</Notice>
      ) : (
        <form class="moderate__body" onSubmit={submit} noValidate>
          <label for={selectId}>{t('report.reason')}</label>
          <select
            id={selectId}
            value={reason}
            disabled={busy}
            onChange={(e) => setReason((e.target as HTMLSelectElement).value as ReportReason)}
          >
            {REPORT_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`report.reason.${r}`)}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary small" disabled={busy}>
            {t('report.send')}
          </button>
          <ErrorMessage error={error} />
        </form>
      )}
    </details>
  );
}

function Composer({ channel, signedIn }: { channel: Channel; signedIn: boolean }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<'comment' | 'question'>('comment');
  const [text, setText] = useState('');
  const [offline, setOffline] = useState(false);
  const textId = useId();
  const errorId = useId();

  if (!signedIn) {
    return (
      <div class="card" data-testid="composer-signin">
        <p>{t('room.signInToChat')}</p>
        <p>
          <a class="button" href={paths.login}>
            {t('room.signIn')}
          </a>
        </p>
      </div>
    );
  }

  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!channel.send(kind, trimmed)) {
      setOffline(true);
      return;
    }
    setOffline(false);
    setText('');
  };

  return (
    <form class="card composer" onSubmit={submit} noValidate data-testid="composer">
      <fieldset class="plain">
        <legend>{t('room.composeKind')}</legend>
        <div class="segmented-radio">
          {(['comment', 'question'] as const).map((option) => (
            <label key={option} class="check">
              <input
                type="radio"
                name="message-kind"
                value={option}
                checked={kind === option}
                onChange={() => setKind(option)}
              />{' '}
              {t(`room.kind.${option}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for={textId}>{kind === 'question' ? t('room.composeQuestion') : t('room.composeComment')}</label>
        <textarea
          id={textId}
          rows={2}
          maxLength={MESSAGE_MAX + 50}
          aria-describedby={channel.error ? errorId : undefined}
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        />
        <p class="hint">{t('room.composeHint', { max: MESSAGE_MAX, count: [...text.trim()].length })}</p>
      </div>
      <button type="submit" class="primary" disabled={channel.state !== 'open'}>
        {t('room.send')}
      </button>
      {offline ? <p class="message message--warn">{t('room.offline')}</p> : null}
      {channel.state === 'open' ? <ErrorMessage error={channel.error} id={errorId} /> : null}
    </form>
  );
}

function AskToCohost({ room, channel }: { room: Room; channel: Channel }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, run, onSubmit } = useRequest();
  const [masked, setMasked] = useState(false);
  const [mine, setMine] = useState<CohostRequest | null>(null);
  const [loaded, setLoaded] = useState(false);
  const maskedId = useId();
  const hintId = useId();

  // The host's decision reaches the room as a `cohost` event; a denial only shows in the list.
  const refresh = () =>
    client.cohostRequests(room.id).then(
      (list) => {
        setMine(list[0] ?? null);
        setLoaded(true);
      },
      () => setLoaded(true),
    );
  useEffect(() => {
    void refresh();
  }, [room.id]);
  useEffect(() => {
    if (mine?.status !== 'pending') return undefined;
    const timer = window.setInterval(() => void refresh(), 4000);
    return () => window.clearInterval(timer);
  }, [mine?.status, mine?.id]);
  const onAirEvent = channel.onAir.find((e) => e.card.viewer === channel.viewer);
  useEffect(() => {
    if (onAirEvent && mine && mine.status === 'pending') setMine({ ...mine, status: 'approved' });
    if (!onAirEvent && mine?.status === 'approved') void refresh();
  }, [Boolean(onAirEvent)]);

  const ask = onSubmit(async () => {
    setMine(await client.askToCohost(room.id, masked));
  });
  const withdraw = () =>
    run(async () => {
      if (!mine) return;
      await client.endCohost(room.id, mine.id);
      setMine(null);
    });

  if (!loaded) return null;
  const open = mine && (mine.status === 'pending' || mine.status === 'approved') ? mine : null;

  return (
    <section class="card" aria-labelledby="room-cohost" data-testid="cohost">
      <h2 id="room-cohost">{t('cohost.heading')}</h2>
      {open ? (
        <div data-testid="cohost-state" data-status={open.status}>
          <p>
            <span class={`badge${open.status === 'approved' ? ' badge--ok' : ' badge--separate'}`}>
              {t(`cohost.status.${open.status}`)}
            </span>{' '}
            {open.masked ? <span class="badge">{t('cohost.maskedBadge')}</span> : null}
          </p>
          <p>{open.status === 'approved' ? t('cohost.onAirExplain') : t('cohost.pendingExplain')}</p>
          {open.status === 'approved' && open.masked ? <p class="hint">{t('cohost.maskedHint')}</p> : null}
          {open.status === 'approved' ? <PublishPanel roomId={room.id} mode={room.mode} /> : null}
          <button type="button" class="secondary" disabled={busy} onClick={() => void withdraw()}>
            {open.status === 'approved' ? t('cohost.leave') : t('cohost.withdraw')}
          </button>
        </div>
      ) : (
        <form onSubmit={ask} noValidate>
          {mine && mine.status === 'denied' ? <p class="message message--warn">{t('cohost.denied')}</p> : null}
          <div class="field">
            <label class="check" for={maskedId}>
              <input
                id={maskedId}
                type="checkbox"
                checked={masked}
                aria-describedby={hintId}
                onChange={(e) => setMasked((e.target as HTMLInputElement).checked)}
              />{' '}
              {t('cohost.masked')}
            </label>
            <p class="hint" id={hintId}>
              {t('cohost.maskedHint')}
            </p>
          </div>
          <button type="submit" class="primary" disabled={busy}>
            {t('cohost.ask')}
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}

