// The facts of a streamer application (scope, when it was submitted and decided), as its applicant
// sees them in the studio and as staff see them in the review queue.
import type { ComponentChildren } from 'preact';
import type { StreamerApplication } from '../../api/types';
import { useI18n } from '../../i18n';
import { scopeLabel } from './scope';

interface Props {
  application: StreamerApplication;
  /** Rows shown before the scope (the applicant's name in the studio). */
  first?: ComponentChildren;
  /** Rows shown after the dates (the reason of a rejection in the queue). */
  last?: ComponentChildren;
}

export function ApplicationFacts({ application, first, last }: Props) {
  const { t, formatTime } = useI18n();
  const moment = (at: number) => <time dateTime={new Date(at).toISOString()}>{formatTime(at)}</time>;
  return (
    <dl class="facts">
      {first}
      <div>
        <dt>{t('studio.scope')}</dt>
        <dd>{scopeLabel(t, application.scope)}</dd>
      </div>
      <div>
        <dt>{t('studio.submittedAt')}</dt>
        <dd>{moment(application.submitted_at)}</dd>
      </div>
      {application.decided_at ? (
        <div>
          <dt>{t('studio.decidedAt')}</dt>
          <dd>{moment(application.decided_at)}</dd>
        </div>
      ) : null}
      {last}
    </dl>
  );
}
