// An approved streamer's rooms: create one (now or scheduled), go live and broadcast from the
// browser, end, change the settings, decide co-host requests and run lotteries.
import { useCallback, useEffect, useId, useState } from 'preact/hooks';
import type { PublishCredential, Room, RoomMode } from '../../api/types';
import { ROOM_MODES } from '../../api/types';
import { isApiError } from '../../api/client';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { CohostRequests } from '../rooms/CohostRequests';
import { EncoderSettings } from './EncoderSettings';
import { PublishPanel } from './PublishPanel';
import type { HostLottery } from './StudioLottery';
import { StudioLottery } from './StudioLottery';

/** `onRooms` hears of every change to the list (the earnings are watched while a room is live). */
export function StudioRooms({ onRooms }: { onRooms?: (rooms: Room[]) => void }) {
  const { t } = useI18n();
  const { client } = useApp();
  const rooms = useResource(() => client.myRooms(), [client]);
  useEffect(() => {
    if (rooms.data) onRooms?.(rooms.data);
  }, [rooms.data]);
  const [credentials, setCredentials] = useState<Record<string, PublishCredential>>({});
  // Each room's latest lottery: opened from this page, or found again from the room's list after a
  // reload; it stays after the live ends, so the host can still read the deliveries and mark them sent.
  const [lotteries, setLotteries] = useState<Record<string, HostLottery>>({});
  const setLottery = useCallback(
    (roomId: string, next: HostLottery) => setLotteries((all) => ({ ...all, [roomId]: next })),
    [],
  );

  const replace = (room: Room) => {
    if (!rooms.data) return;
    rooms.set(rooms.data.map((r) => (r.id === room.id ? room : r)));
  };

  return (
    <>
      <section class="card" aria-labelledby="studio-rooms" data-testid="my-rooms">
        <h2 id="studio-rooms">{t('studio.rooms.heading')}</h2>
        {rooms.error ? (
          <ErrorMessage error={rooms.error} />
        ) : !rooms.data ? (
          <Loading />
        ) : rooms.data.length === 0 ? (
          <p class="empty">{t('studio.rooms.empty')}</p>
        ) : (
          <ul class="plain-list">
            {[...rooms.data]
              .sort((a, b) => order(a) - order(b))
              .map((room) => (
                <MyRoom
                  key={room.id}
                  room={room}
                  credential={credentials[room.id] ?? null}
                  lottery={lotteries[room.id] ?? null}
                  onLottery={setLottery}
                  onChanged={replace}
                  onCredential={(c) => setCredentials((all) => ({ ...all, [room.id]: c }))}
                />
              ))}
          </ul>
        )}
      </section>
      <CreateRoom onCreated={(room) => rooms.set([room, ...(rooms.data ?? [])])} />
    </>
  );
}

function order(room: Room): number {
  return room.status === 'live' ? 0 : room.status === 'scheduled' ? 1 : 2;
}

function MyRoom(props: {
  room: Room;
  credential: PublishCredential | null;
  lottery: HostLottery | null;
  onChanged: (room: Room) => void;
  onCredential: (credential: PublishCredential) => void;
  onLottery: (roomId: string, next: HostLottery) => void;
}) {
  const { room, credential, lottery, onChanged, onCredential, onLottery } = props;
  const { t, formatTime } = useI18n();
  const { client } = useApp();
  const { busy, error, run } = useRequest();
  const headingId = useId();
  const roomId = room.id;
  const onLotteryHere = useCallback((next: HostLottery) => onLottery(roomId, next), [onLottery, roomId]);

  const goLive = () =>
    run(async () => {
      const result = await client.goLive(room.id);
      onCredential(result.publish);
      onChanged(result.room);
    });
  const end = () =>
    run(async () => {
      onChanged(await client.endRoom(room.id));
    });
  const refreshCredential = () =>
    run(async () => {
      onCredential(await client.publishCredential(room.id));
    });

  return (
    <li class="my-room" aria-labelledby={headingId} data-testid="my-room" data-status={room.status}>
      <h3 id={headingId}>
        <a href={paths.room(room.id)}>{room.title}</a>
      </h3>
      <p>
        <span class={`badge${room.status === 'live' ? ' badge--live' : ' badge--separate'}`} data-testid="my-room-status">
          {t(`room.status.${room.status}`)}
        </span>{' '}
        <span class="badge">{t(`room.mode.${room.mode}`)}</span>
        {room.status === 'scheduled' && room.scheduled_at ? (
          <>
            {' '}
            <time dateTime={new Date(room.scheduled_at).toISOString()}>{formatTime(room.scheduled_at)}</time>
          </>
        ) : null}
        {/* GET /rooms/mine leaves out `viewers` for now: no count rather than "undefined watching". */}
        {room.status === 'live' && typeof room.viewers === 'number' ? (
          <> {t('studio.rooms.viewers', { count: room.viewers })}</>
        ) : null}
      </p>

      {room.status === 'live' ? (
        <div class="message message--warn" data-testid="publish-state">
          {credential ? (
            <p data-testid="credential-expiry">
              {t('studio.rooms.credentialExpires', { time: formatTime(credential.expires_at) })}
            </p>
          ) : null}
          <p>{t('studio.rooms.broadcastHint')}</p>
          <button type="button" class="secondary small" disabled={busy} onClick={() => void refreshCredential()}>
            {t('studio.rooms.newCredential')}
          </button>
          <PublishPanel roomId={room.id} mode={room.mode} />
          <EncoderSettings roomId={room.id} credential={credential} onCredential={onCredential} />
        </div>
      ) : null}

      <div class="button-row">
        {room.status === 'scheduled' ? (
          <button
            type="button"
            class="primary"
            disabled={busy}
            aria-label={t('studio.rooms.goLiveLabel', { title: room.title })}
            onClick={() => void goLive()}
          >
            {t('studio.rooms.goLive')}
          </button>
        ) : null}
        {room.status === 'live' ? (
          <>
            <a class="button" href={paths.room(room.id)}>
              {t('studio.rooms.openRoom')}
            </a>
            <button
              type="button"
              class="secondary"
              disabled={busy}
              aria-label={t('studio.rooms.endLabel', { title: room.title })}
              onClick={() => void end()}
            >
              {t('studio.rooms.end')}
            </button>
          </>
        ) : null}
      </div>
      <ErrorMessage error={error} />
      {isApiError(error) && error.code === 'real_name_required' ? (
        <p>
          <a href={paths.realName}>{t('studio.toRealName')}</a>
        </p>
      ) : null}
      {room.status !== 'ended' ? <RoomSettingsForm room={room} onChanged={onChanged} /> : null}
      {room.status === 'live' ? <CohostRequests roomId={room.id} /> : null}
      <StudioLottery roomId={room.id} live={room.status === 'live'} current={lottery} onChange={onLotteryHere} />
    </li>
  );
}

function RoomSettingsForm({ room, onChanged }: { room: Room; onChanged: (room: Room) => void }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const [slow, setSlow] = useState(String(room.settings.slow_mode_seconds));
  const [realName, setRealName] = useState(room.settings.comments_need_real_name);
  const [saved, setSaved] = useState(false);
  const checkId = useId();

  const submit = onSubmit(async () => {
    setSaved(false);
    const seconds = Number.parseInt(slow, 10);
    onChanged(
      await client.updateRoom(room.id, {
        settings: { slow_mode_seconds: Number.isFinite(seconds) ? seconds : -1, comments_need_real_name: realName },
      }),
    );
    setSaved(true);
  });

  return (
    <details class="room-settings">
      <summary>{t('studio.rooms.settings')}</summary>
      <form onSubmit={submit} noValidate>
        <fieldset class="plain" disabled={busy}>
          <InputField
            label={t('studio.rooms.slowMode')}
            hint={t('studio.rooms.slowModeHint')}
            type="number"
            min={0}
            max={300}
            inputMode="numeric"
            value={slow}
            onValue={setSlow}
          />
          <div class="field">
            <label class="check" for={checkId}>
              <input
                id={checkId}
                type="checkbox"
                checked={realName}
                onChange={(e) => setRealName((e.target as HTMLInputElement).checked)}
              />{' '}
              {t('studio.rooms.needRealName')}
            </label>
          </div>
          <button type="submit" class="secondary">
            {t('studio.rooms.saveSettings')}
          </button>
        </fieldset>
      </form>
      {saved ? <Notice>{t('studio.rooms.settingsSaved')}</Notice> : null}
      <ErrorMessage error={error} />
    </details>
  );
}

function CreateRoom({ onCreated }: { onCreated: (room: Room) => void }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<RoomMode>('video');
  const [when, setWhen] = useState('');
  const [created, setCreated] = useState<string | null>(null);

  const submit = onSubmit(async () => {
    setCreated(null);
    const at = when ? new Date(when).getTime() : undefined;
    const room = await client.createRoom({
      title: title.trim(),
      mode,
      ...(at !== undefined && Number.isFinite(at) ? { scheduled_at: at } : {}),
    });
    onCreated(room);
    setCreated(room.title);
    setTitle('');
    setWhen('');
  });

  return (
    <section class="card" aria-labelledby="studio-create">
      <h2 id="studio-create">{t('studio.rooms.createHeading')}</h2>
      <form onSubmit={submit} noValidate data-testid="create-room">
        <fieldset class="plain" disabled={busy}>
          <InputField
            label={t('studio.rooms.roomTitle')}
            hint={t('studio.rooms.roomTitleHint')}
            name="room_title"
            type="text"
            maxLength={80}
            value={title}
            onValue={setTitle}
          />
          <Field label={t('studio.rooms.mode')}>
            {({ id, describedBy }) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={mode}
                onChange={(e) => setMode((e.target as HTMLSelectElement).value as RoomMode)}
              >
                {ROOM_MODES.map((m) => (
                  <option key={m} value={m}>
                    {t(`room.mode.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <InputField
            label={t('studio.rooms.schedule')}
            hint={t('studio.rooms.scheduleHint')}
            optional
            type="datetime-local"
            value={when}
            onValue={setWhen}
          />
          <button type="submit" class="primary">
            {busy ? t('studio.rooms.creating') : t('studio.rooms.create')}
          </button>
        </fieldset>
      </form>
      {created ? <Notice>{t('studio.rooms.created', { title: created })}</Notice> : null}
      <ErrorMessage error={error} />
    </section>
  );
}
