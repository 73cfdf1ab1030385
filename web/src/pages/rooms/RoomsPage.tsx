// Live rooms anyone can watch, signed in or not: the rooms live now, then the scheduled ones.
import type { Room } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageTitle } from '../../components/PageTitle';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { hostLabel } from './labels';

export function RoomsPage() {
  const { t } = useI18n();
  const { client } = useApp();
  const live = useResource(() => client.rooms('live'), [client]);
  const scheduled = useResource(() => client.rooms('scheduled'), [client]);
  return (
    <article class="rooms">
      <PageTitle>{t('rooms.title')}</PageTitle>
      <p class="lead">{t('rooms.lead')}</p>
      <section aria-labelledby="rooms-live" data-testid="rooms-live">
        <h2 id="rooms-live">{t('rooms.liveHeading')}</h2>
        <RoomList list={live.data} error={live.error} empty={t('rooms.liveEmpty')} />
      </section>
      <section aria-labelledby="rooms-scheduled" data-testid="rooms-scheduled">
        <h2 id="rooms-scheduled">{t('rooms.scheduledHeading')}</h2>
        <RoomList list={scheduled.data} error={scheduled.error} empty={t('rooms.scheduledEmpty')} />
      </section>
    </article>
  );
}

function RoomList({ list, error, empty }: { list: Room[] | null; error: unknown; empty: string }) {
  if (error) return <ErrorMessage error={error} />;
  if (!list) return <Loading />;
  if (list.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ul class="room-cards">
      {list.map((room) => (
        <RoomCard key={room.id} room={room} />
      ))}
    </ul>
  );
}

export function RoomCard({ room }: { room: Room }) {
  const { t, formatTime } = useI18n();
  return (
    <li class="card room-card" data-testid="room-card">
      <h3>
        <a href={paths.room(room.id)}>{room.title}</a>
      </h3>
      <p class="room-card__meta">
        <span class={`badge${room.status === 'live' ? ' badge--live' : ' badge--separate'}`}>
          {t(`room.status.${room.status}`)}
        </span>{' '}
        <span class="badge">{t(`room.mode.${room.mode}`)}</span>
      </p>
      <dl class="facts">
        <div>
          <dt>{t('room.host')}</dt>
          <dd>{hostLabel(room, t)}</dd>
        </div>
        {room.status === 'live' ? (
          <div>
            <dt>{t('room.viewers')}</dt>
            <dd>{room.viewers}</dd>
          </div>
        ) : null}
        {room.scheduled_at && room.status === 'scheduled' ? (
          <div>
            <dt>{t('room.scheduledAt')}</dt>
            <dd>
              <time dateTime={new Date(room.scheduled_at).toISOString()}>{formatTime(room.scheduled_at)}</time>
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}
