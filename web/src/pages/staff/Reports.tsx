// Staff: open reports from rooms, with the reported message's text, and the decision: dismiss, or a
// platform-wide mute or ban (which applies in every room and appears in the public notice).
import { useId, useRef, useState } from 'preact/hooks';
import type { Report, ReportAction } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';

export function Reports() {
  const { t } = useI18n();
  const { client } = useApp();
  const list = useResource(() => client.staffReports('open'), [client]);
  const [decided, setDecided] = useState<ReportAction | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useDropEndedSession(list.error);

  return (
    <section aria-labelledby="staff-reports">
      <h2 id="staff-reports" ref={headingRef} tabIndex={-1}>
        {t('reports.heading')}
      </h2>
      {decided ? <Notice>{t(`reports.done.${decided}`)}</Notice> : null}
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length === 0 ? (
        <p class="empty" data-testid="reports-empty">
          {t('reports.empty')}
        </p>
      ) : (
        <ul class="applications" data-testid="reports">
          {list.data.map((report) => (
            <ReportItem
              key={report.id}
              report={report}
              onDecided={(action) => {
                setDecided(action);
                list.reload();
                headingRef.current?.focus();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ReportItem({ report, onDecided }: { report: Report; onDecided: (action: ReportAction) => void }) {
  const { t, formatTime } = useI18n();
  const { client } = useApp();
  const { busy, error, run } = useRequest();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState('');
  const reasonId = useId();
  const minutesId = useId();
  const headingId = useId();

  const decide = (action: ReportAction) =>
    run(async () => {
      const m = Number.parseInt(minutes, 10);
      await client.decideReport(
        report.id,
        action,
        reason.trim() || undefined,
        action !== 'dismiss' && Number.isFinite(m) ? m : undefined,
      );
      onDecided(action);
    });

  return (
    <li class="card application" aria-labelledby={headingId} data-testid="report-item">
      <h3 id={headingId}>{t(`report.reason.${report.reason}`)}</h3>
      <dl class="facts">
        <div>
          <dt>{t('reports.room')}</dt>
          <dd>
            <a href={paths.room(report.room_id)}>{report.room_id}</a>
          </dd>
        </div>
        <div>
          <dt>{t('reports.at')}</dt>
          <dd>
            <time dateTime={new Date(report.created_at).toISOString()}>{formatTime(report.created_at)}</time>
          </dd>
        </div>
        {report.note ? (
          <div>
            <dt>{t('reports.note')}</dt>
            <dd>{report.note}</dd>
          </div>
        ) : null}
      </dl>
      {report.message ? (
        <blockquote class="reported-message" data-testid="reported-message">
          {report.message.text || t('reports.messageErased')}
        </blockquote>
      ) : (
        <p class="hint">{t('reports.aboutPerson')}</p>
      )}
      <div class="field">
        <label for={reasonId}>{t('reports.reason')}</label>
        <input
          id={reasonId}
          type="text"
          maxLength={200}
          disabled={busy}
          value={reason}
          onInput={(e) => setReason((e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for={minutesId}>{t('reports.minutes')}</label>
        <input
          id={minutesId}
          type="number"
          min={0}
          inputMode="numeric"
          disabled={busy}
          value={minutes}
          onInput={(e) => setMinutes((e.target as HTMLInputElement).value)}
        />
        <p class="hint">{t('reports.minutesHint')}</p>
      </div>
      <div class="button-row">
        <button type="button" class="secondary" disabled={busy} onClick={() => void decide('dismiss')}>
          {t('reports.dismiss')}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void decide('platform_mute')}>
          {t('reports.platformMute')}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void decide('platform_ban')}>
          {t('reports.platformBan')}
        </button>
      </div>
      <ErrorMessage error={error} />
    </li>
  );
}
