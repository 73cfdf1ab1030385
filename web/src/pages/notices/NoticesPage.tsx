// In-app notices (PRODUCT B5: "we tell you the result in the app"). The server sends each notice's
// kind and parameters only; the sentence is written here, in the reader's language.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Notice, NoticeList } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { AccountPage, useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useResource } from '../../components/useResource';
import type { I18n } from '../../i18n';
import { useI18n } from '../../i18n';

export function NoticesPage() {
  const { t } = useI18n();
  return (
    <AccountPage name="notices" title={t('notices.title')} lead={t('notices.lead')}>
      <Notices />
    </AccountPage>
  );
}

/** A notice as a sentence, with where to go next when there is somewhere. */
export function describeNotice(
  notice: Notice,
  t: I18n['t'],
  formatTime: I18n['formatTime'] = (ms) => new Date(ms).toLocaleString(),
): { text: string; link?: { href: string; label: string } } {
  switch (notice.kind) {
    case 'streamer_approved':
      return {
        text: t('notices.streamer_approved'),
        link: { href: paths.studio, label: t('notices.toStudio') },
      };
    case 'streamer_rejected': {
      const reason = typeof notice.body.reason === 'string' ? notice.body.reason.trim() : '';
      return {
        text: reason
          ? t('notices.streamer_rejected', { reason })
          : t('notices.streamer_rejected.noReason'),
        link: { href: paths.studio, label: t('notices.applyAgain') },
      };
    }
    case 'penalty': {
      const body = notice.body as { kind?: unknown; reason?: unknown; scope?: unknown; room_title?: unknown; until?: unknown };
      const kind = body.kind === 'mute' || body.kind === 'ban' || body.kind === 'kick' ? body.kind : 'mute';
      const where =
        body.scope === 'platform'
          ? t('notices.penalty.platform')
          : t('notices.penalty.room', { room: typeof body.room_title === 'string' ? body.room_title : '' });
      const parts = [
        t(`notices.penalty.${kind}`, { where }),
        typeof body.reason === 'string' && body.reason ? t('notices.penalty.reason', { reason: body.reason }) : '',
        typeof body.until === 'number' ? t('notices.penalty.until', { time: formatTime(body.until) }) : '',
      ];
      return {
        text: parts.filter(Boolean).join(' '),
        link: { href: paths.rooms, label: t('notices.toRooms') },
      };
    }
    case 'lottery_won': {
      const body = notice.body as { prize?: unknown; room_title?: unknown; lottery_id?: unknown };
      const prize = typeof body.prize === 'string' ? body.prize : '';
      const room = typeof body.room_title === 'string' ? body.room_title : '';
      return {
        text: t('notices.lottery_won', { prize, room }),
        // The winner gives the delivery details on the lottery's own page, which works after the
        // live has ended too.
        link:
          typeof body.lottery_id === 'string' && body.lottery_id
            ? { href: paths.lottery(body.lottery_id), label: t('notices.toDelivery') }
            : undefined,
      };
    }
    default:
      return { text: t('notices.unknownKind') };
  }
}

function Notices() {
  const { t } = useI18n();
  const { client, setUnread } = useApp();
  const list = useResource(() => client.notices(), [client]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  useDropEndedSession(list.error);

  useEffect(() => {
    if (list.data) setUnread(list.data.unread);
  }, [list.data, setUnread]);

  const markRead = async (ids: string[], focusId?: string) => {
    if (!list.data || ids.length === 0) return;
    setBusy(true);
    setError(null);
    const done = new Set<string>();
    try {
      for (const id of ids) {
        await client.markNoticeRead(id);
        done.add(id);
      }
    } catch (reason) {
      setError(reason);
    } finally {
      const current: NoticeList = list.data;
      const notices = current.notices.map((n) => (done.has(n.id) ? { ...n, read: true } : n));
      list.set({ notices, unread: notices.filter((n) => !n.read).length });
      setBusy(false);
      // The button is gone: keep keyboard focus on the notice it belonged to.
      if (focusId) {
        requestAnimationFrame(() =>
          listRef.current?.querySelector<HTMLElement>(`[data-notice="${focusId}"]`)?.focus(),
        );
      }
    }
  };

  if (!list.data) return list.error ? <ErrorMessage error={list.error} /> : <Loading />;
  // Newest first (the server sends them so; kept so whatever the order of arrival).
  const notices = [...list.data.notices].sort((a, b) => b.created_at - a.created_at);
  const unread = notices.filter((n) => !n.read);

  return (
    <div class="stack">
      {notices.length > 0 ? (
        <p class="hint" data-testid="notices-summary">
          {unread.length === 0 ? t('notices.allRead') : t('notices.unreadCount', { count: unread.length })}
        </p>
      ) : null}
      {unread.length > 1 ? (
        <div class="button-row">
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => void markRead(unread.map((n) => n.id))}
          >
            {t('notices.markAllRead')}
          </button>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      {notices.length === 0 ? (
        <p class="empty" data-testid="notices-empty">
          {t('notices.empty')}
        </p>
      ) : (
        <ol class="notice-list" ref={listRef} data-testid="notice-list">
          {notices.map((notice) => (
            <NoticeItem
              key={notice.id}
              notice={notice}
              busy={busy}
              onRead={() => void markRead([notice.id], notice.id)}
            />
          ))}
        </ol>
      )}
    </div>
  );
}

function NoticeItem(props: { notice: Notice; busy: boolean; onRead: () => void }) {
  const { notice, busy, onRead } = props;
  const { t, formatTime } = useI18n();
  const { text, link } = describeNotice(notice, t, formatTime);
  const when = formatTime(notice.created_at);
  return (
    <li
      class={`notice${notice.read ? '' : ' notice--unread'}`}
      data-testid="notice"
      data-notice={notice.id}
      data-read={notice.read ? 'true' : 'false'}
      tabIndex={-1}
    >
      <p class="notice__meta">
        {notice.read ? null : <span class="badge badge--separate">{t('notices.unread')}</span>}
        <time dateTime={new Date(notice.created_at).toISOString()}>{when}</time>
      </p>
      <p class="notice__text">{text}</p>
      <div class="notice__actions">
        {link ? <a href={link.href}>{link.label}</a> : null}
        {notice.read ? null : (
          <button
            type="button"
            class="secondary small"
            disabled={busy}
            aria-label={t('notices.markReadLabel', { date: when })}
            onClick={onRead}
          >
            {t('notices.markRead')}
          </button>
        )}
      </div>
    </li>
  );
}
