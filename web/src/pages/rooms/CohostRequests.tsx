// The host's list of co-host requests in a live room: approve or deny the waiting ones, end the
// ones on air. New requests are not announced in the room channel, so the list is asked for again
// every few seconds while it is shown.
import { useEffect } from 'preact/hooks';
import type { CohostRequest } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { cardLabel } from './labels';
import { UnmaskedCohostView } from './UnmaskedCohostView';

const POLL_MS = 3000;

export function CohostRequests({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const { client } = useApp();
  const list = useResource(() => client.cohostRequests(roomId), [client, roomId]);
  const { busy, error, run } = useRequest();
  useEffect(() => {
    const timer = window.setInterval(list.reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [list.reload]);

  const decide = (request: CohostRequest, approve: boolean) =>
    run(async () => {
      await client.decideCohost(roomId, request.id, approve);
      list.reload();
    });
  const end = (request: CohostRequest) =>
    run(async () => {
      await client.endCohost(roomId, request.id);
      list.reload();
    });

  const requests = list.data ?? [];
  return (
    <section class="card" aria-labelledby={`cohost-requests-${roomId}`} data-testid="cohost-requests">
      <h2 id={`cohost-requests-${roomId}`}>{t('cohost.requestsHeading')}</h2>
      {list.error && !list.data ? <ErrorMessage error={list.error} /> : null}
      {requests.length === 0 ? (
        <p class="empty">{t('cohost.requestsEmpty')}</p>
      ) : (
        <ul class="plain-list">
          {requests.map((request) => {
            const who = cardLabel(request.card, t);
            return (
              <li key={request.id} class="cohost-request" data-testid="cohost-request" data-status={request.status}>
                <p>
                  <strong>{who}</strong>{' '}
                  <span class={`badge${request.status === 'approved' ? ' badge--ok' : ' badge--separate'}`}>
                    {t(`cohost.status.${request.status}`)}
                  </span>{' '}
                  {request.masked ? <span class="badge">{t('cohost.maskedBadge')}</span> : null}
                </p>
                {request.masked ? <p class="hint">{t('cohost.maskedHostHint')}</p> : null}
                {request.masked && request.status === 'approved' ? (
                  <UnmaskedCohostView roomId={roomId} requestId={request.id} who={who} />
                ) : null}
                <div class="button-row">
                  {request.status === 'pending' ? (
                    <>
                      <button
                        type="button"
                        class="primary small"
                        disabled={busy}
                        aria-label={t('cohost.approveLabel', { who })}
                        onClick={() => void decide(request, true)}
                      >
                        {t('cohost.approve')}
                      </button>
                      <button
                        type="button"
                        class="secondary small"
                        disabled={busy}
                        aria-label={t('cohost.denyLabel', { who })}
                        onClick={() => void decide(request, false)}
                      >
                        {t('cohost.deny')}
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      class="secondary small"
                      disabled={busy}
                      aria-label={t('cohost.endLabel', { who })}
                      onClick={() => void end(request)}
                    >
                      {t('cohost.end')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
