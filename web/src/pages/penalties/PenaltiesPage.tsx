// The public penalty notice: platform-wide mutes and bans of the last 90 days, with the reason
// staff gave, and never who received them (GET /penalties/public). Anyone may read it.
import type { PublicPenalty } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageTitle } from '../../components/PageTitle';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';

export function PenaltiesPage() {
  const { t } = useI18n();
  const { client } = useApp();
  const list = useResource(() => client.publicPenalties(), [client]);

  return (
    <article class="penalties">
      <PageTitle>{t('penalties.title')}</PageTitle>
      <p class="lead">{t('penalties.lead')}</p>
      {list.error ? (
        <>
          <ErrorMessage error={list.error} />
          <button type="button" class="secondary" onClick={list.reload}>
            {t('common.retry')}
          </button>
        </>
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty" data-testid="penalties-empty">
          {t('penalties.empty')}
        </p>
      ) : (
        <ol class="plain-list" data-testid="penalties">
          {[...list.data]
            .sort((a, b) => b.created_at - a.created_at)
            .map((penalty, index) => (
              <PenaltyItem key={`${penalty.created_at}-${index}`} penalty={penalty} />
            ))}
        </ol>
      )}
    </article>
  );
}

function PenaltyItem({ penalty }: { penalty: PublicPenalty }) {
  const { t, formatTime } = useI18n();
  const kind = penalty.kind === 'ban' || penalty.kind === 'mute' ? penalty.kind : 'other';
  return (
    <li class="card penalty" data-testid="penalty" data-kind={penalty.kind}>
      <p>
        <span class={`badge${kind === 'ban' ? ' badge--needed' : ' badge--separate'}`}>
          {t(`penalties.kind.${kind}`)}
        </span>{' '}
        <time dateTime={new Date(penalty.created_at).toISOString()}>{formatTime(penalty.created_at)}</time>
      </p>
      <dl class="facts">
        <div>
          <dt>{t('penalties.reason')}</dt>
          <dd data-testid="penalty-reason" class="penalty__reason">
            {penalty.reason || t('penalties.noReason')}
          </dd>
        </div>
        <div>
          <dt>{t('penalties.until')}</dt>
          <dd>
            {penalty.until ? (
              <time dateTime={new Date(penalty.until).toISOString()}>{formatTime(penalty.until)}</time>
            ) : (
              t('penalties.untilLifted')
            )}
          </dd>
        </div>
      </dl>
    </li>
  );
}
