// The staff review queue for streamer applications (PRODUCT B5). Staff read applicants' full names
// here (each read is on the server's audit trail); a rejection needs a reason, which the applicant
// reads in a notice. Anyone else gets the server's own refusal (staff_only).
import { useId, useRef, useState } from 'preact/hooks';
import type { ApplicationStatus, StreamerApplication } from '../../api/types';
import { APPLICATION_STATUSES } from '../../api/types';
import { useApp } from '../../app/context';
import { AccountPage, useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { ApplicationFacts } from '../studio/ApplicationFacts';
import { Reports } from './Reports';

export function StaffPage() {
  const { t } = useI18n();
  return (
    <AccountPage name="staff" title={t('staff.title')} lead={t('staff.lead')}>
      <Tabs />
    </AccountPage>
  );
}

function Tabs() {
  const { t } = useI18n();
  const [tab, setTab] = useState<'applications' | 'reports'>('applications');
  return (
    <div class="stack">
      <div class="segmented" role="group" aria-label={t('staff.tabsLabel')}>
        {(['applications', 'reports'] as const).map((option) => (
          <button key={option} type="button" aria-pressed={tab === option} onClick={() => setTab(option)}>
            {t(`staff.tab.${option}`)}
          </button>
        ))}
      </div>
      {tab === 'applications' ? <Queue /> : <Reports />}
    </div>
  );
}

function Queue() {
  const { t } = useI18n();
  const { client } = useApp();
  const [status, setStatus] = useState<ApplicationStatus>('pending');
  const list = useResource(() => client.streamerApplications(status), [client, status]);
  const [decided, setDecided] = useState<StreamerApplication | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useDropEndedSession(list.error);

  const show = (next: ApplicationStatus) => {
    setDecided(null);
    setStatus(next);
  };

  return (
    <div class="stack">
      <div class="segmented" role="group" aria-label={t('staff.filterLabel')}>
        {APPLICATION_STATUSES.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={status === option}
            onClick={() => show(option)}
          >
            {t(`staff.filter.${option}`)}
          </button>
        ))}
      </div>

      {decided ? (
        <Notice>
          {decided.status === 'approved'
            ? t('staff.approvedNotice', { name: decided.name })
            : t('staff.rejectedNotice', { name: decided.name })}
        </Notice>
      ) : null}

      <section aria-labelledby="staff-list">
        <h2 id="staff-list" ref={headingRef} tabIndex={-1}>
          {t(`staff.heading.${status}`)}
        </h2>
        {list.error ? (
          <ErrorMessage error={list.error} />
        ) : list.loading || !list.data ? (
          <Loading />
        ) : list.data.length === 0 ? (
          <p class="empty" data-testid="staff-empty">
            {t(`staff.empty.${status}`)}
          </p>
        ) : (
          <ul class="applications" data-testid="applications">
            {list.data.map((application) => (
              <ApplicationItem
                key={application.id}
                application={application}
                onDecided={(result) => {
                  setDecided(result);
                  list.reload();
                  // The item leaves the list; keyboard focus goes to the list's heading, not the page.
                  headingRef.current?.focus();
                }}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function ApplicationItem(props: {
  application: StreamerApplication;
  onDecided: (application: StreamerApplication) => void;
}) {
  const { application, onDecided } = props;
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, run, onSubmit } = useRequest();
  const [reason, setReason] = useState('');
  const headingId = useId();

  const approve = () =>
    run(async () => {
      onDecided(await client.decideApplication(application.id, true));
    });
  const reject = onSubmit(async () => {
    // The server asks for at least 2 characters and says so in the person's language.
    onDecided(await client.decideApplication(application.id, false, reason.trim()));
  });

  return (
    <li class="card application" aria-labelledby={headingId} data-testid="application">
      <h3 id={headingId}>{application.name}</h3>
      <ApplicationFacts
        application={application}
        last={
          application.status === 'rejected' && application.reason ? (
            <div>
              <dt>{t('studio.reason')}</dt>
              <dd>{application.reason}</dd>
            </div>
          ) : null
        }
      />
      <h4>{t('studio.intro')}</h4>
      <p class="intro-text">{application.intro}</p>

      {application.status === 'pending' ? (
        <div class="decision">
          <button
            type="button"
            class="primary"
            disabled={busy}
            aria-label={t('staff.approveLabel', { name: application.name })}
            onClick={() => void approve()}
          >
            {t('staff.approve')}
          </button>
          <form class="decision__reject" onSubmit={reject} noValidate>
            <Field label={t('staff.reason')} hint={t('staff.reasonHint')}>
              {({ id, describedBy }) => (
                <textarea
                  id={id}
                  name="reason"
                  rows={2}
                  required
                  maxLength={300}
                  disabled={busy}
                  aria-describedby={describedBy}
                  value={reason}
                  onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
                />
              )}
            </Field>
            <button
              type="submit"
              class="secondary"
              disabled={busy}
              aria-label={t('staff.rejectLabel', { name: application.name })}
            >
              {t('staff.reject')}
            </button>
          </form>
        </div>
      ) : null}
      <ErrorMessage error={error} />
    </li>
  );
}
