// Becoming a streamer (PRODUCT B5): the state of the person's application, and the form to apply
// (again, after a rejection). A verified legal name is reused by the server; otherwise it is asked.
import { useId, useState } from 'preact/hooks';
import type { LiveScope, RealNameStatus, Room, StreamerApplication } from '../../api/types';
import { LIVE_SCOPES } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { AccountPage, FreshAccount, useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { Loading } from '../../components/Loading';
import { NextStep } from '../../components/NextStep';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { ApplicationFacts } from './ApplicationFacts';
import { StudioEarnings } from './StudioEarnings';
import { StudioRecordings } from './StudioRecordings';
import { StudioRooms } from './StudioRooms';

// docs/api.md: the introduction has 10–500 characters.
export const INTRO_MIN = 10;
export const INTRO_MAX = 500;

/** Characters as a person counts them (and as the server does: code points). */
export function characterCount(text: string): number {
  return [...text].length;
}

interface StudioState {
  application: StreamerApplication | null;
  realName: RealNameStatus;
}

export function StudioPage() {
  const { t } = useI18n();
  return (
    <AccountPage name="studio" title={t('studio.title')} lead={t('studio.lead')}>
      <FreshAccount>
        {(me) =>
          me.status === 'awaiting_guardian' ? (
            <NextStep
              message={t('studio.awaitingGuardian')}
              href={paths.guardian}
              action={t('profile.goGuardian')}
            />
          ) : (
            <Studio />
          )
        }
      </FreshAccount>
    </AccountPage>
  );
}

function Studio() {
  const { t } = useI18n();
  const { client } = useApp();
  const state = useResource<StudioState>(async () => {
    const [application, realName] = await Promise.all([client.streamerApplication(), client.realName()]);
    return { application, realName };
  }, [client]);
  const [sent, setSent] = useState(false);
  const [rooms, setRooms] = useState<Room[]>([]);
  useDropEndedSession(state.error);

  if (!state.data) return state.error ? <ErrorMessage error={state.error} /> : <Loading />;
  const { application, realName } = state.data;
  const canApply = application === null || application.status === 'rejected';

  return (
    <div class="stack">
      {sent ? <Notice>{t('studio.sent')}</Notice> : null}
      <ApplicationState application={application} verified={realName.verified} />
      {application?.status === 'approved' ? (
        <>
          <StudioRooms onRooms={setRooms} />
          <StudioRecordings />
          <StudioEarnings verified={realName.verified} live={rooms.some((room) => room.status === 'live')} />
        </>
      ) : null}
      {canApply ? (
        <ApplyForm
          realName={realName}
          again={application !== null}
          onApplied={(next) => {
            setSent(true);
            state.set({ application: next, realName });
          }}
        />
      ) : null}
    </div>
  );
}

function ApplicationState(props: { application: StreamerApplication | null; verified: boolean }) {
  const { application, verified } = props;
  const { t } = useI18n();

  if (application === null) {
    return (
      <section class="card" aria-labelledby="studio-state" data-testid="application-state">
        <h2 id="studio-state">{t('studio.stateHeading')}</h2>
        <p data-testid="application-status">{t('studio.none')}</p>
      </section>
    );
  }

  return (
    <section class="card" aria-labelledby="studio-state" data-testid="application-state">
      <h2 id="studio-state">{t('studio.stateHeading')}</h2>
      <p>
        <span
          class={`badge${application.status === 'approved' ? ' badge--ok' : application.status === 'pending' ? ' badge--separate' : ' badge--needed'}`}
          data-testid="application-status"
        >
          {t(`studio.status.${application.status}`)}
        </span>
      </p>
      <p>{t(`studio.explain.${application.status}`)}</p>
      {application.status === 'rejected' && application.reason ? (
        <div class="message message--warn">
          <p>
            <strong>{t('studio.reason')}</strong>{' '}
            <span data-testid="application-reason">{application.reason}</span>
          </p>
        </div>
      ) : null}
      <ApplicationFacts
        application={application}
        first={
          <div>
            <dt>{t('studio.name')}</dt>
            <dd>{application.name}</dd>
          </div>
        }
      />
      <h3>{t('studio.intro')}</h3>
      <p class="intro-text">{application.intro}</p>

      {application.status === 'approved' ? (
        <div class="message message--warn" data-testid="going-live">
          <p>{verified ? t('studio.liveVerified') : t('studio.liveNeedsRealName')}</p>
          {verified ? null : (
            <p>
              <a class="button" href={paths.realName}>
                {t('studio.toRealName')}
              </a>
            </p>
          )}
          {/* The rooms themselves are in their own sections below. */}
          <p>{t('studio.roomsLater')}</p>
        </div>
      ) : null}
    </section>
  );
}

function ApplyForm(props: {
  realName: RealNameStatus;
  again: boolean;
  onApplied: (application: StreamerApplication) => void;
}) {
  const { realName, again, onApplied } = props;
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<LiveScope | ''>('');
  const [intro, setIntro] = useState('');
  const countId = useId();
  const count = characterCount(intro.trim());
  const outside = count > 0 && (count < INTRO_MIN || count > INTRO_MAX);

  const submit = onSubmit(async () => {
    const application = await client.applyAsStreamer({
      // A verified person's name is the verified one: the server reuses it, so none is sent.
      ...(realName.verified ? {} : { name: name.trim() }),
      scope,
      intro: intro.trim(),
    });
    onApplied(application);
  });

  return (
    <section class="card" aria-labelledby="studio-apply">
      <h2 id="studio-apply">{again ? t('studio.applyAgainHeading') : t('studio.applyHeading')}</h2>
      <p class="hint">{t('studio.applyHelp')}</p>
      <form onSubmit={submit} noValidate data-testid="apply-form">
        <fieldset class="plain" disabled={busy}>
          {realName.verified ? (
            <div class="message message--ok field" data-testid="verified-name-note">
              <p>
                {t('studio.verifiedName', { name: realName.name_masked ?? '' })}{' '}
                <a href={paths.realName}>{t('studio.seeRealName')}</a>
              </p>
            </div>
          ) : (
            <InputField
              label={t('studio.name')}
              hint={
                <>
                  {t('studio.nameHint')} <a href={paths.realName}>{t('studio.verifyFirst')}</a>
                </>
              }
              name="legal_name"
              type="text"
              autoComplete="name"
              maxLength={40}
              required
              value={name}
              onValue={setName}
            />
          )}
          <Field label={t('studio.scope')} hint={t('studio.scopeHint')}>
            {({ id, describedBy }) => (
              <select
                id={id}
                name="scope"
                required
                aria-describedby={describedBy}
                value={scope}
                onChange={(e) => setScope((e.target as HTMLSelectElement).value as LiveScope | '')}
              >
                <option value="">{t('studio.scopeChoose')}</option>
                {LIVE_SCOPES.map((option) => (
                  <option key={option} value={option}>
                    {t(`scope.${option}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('studio.intro')} hint={t('studio.introHint', { min: INTRO_MIN, max: INTRO_MAX })}>
            {({ id, describedBy }) => (
              <>
                <textarea
                  id={id}
                  name="intro"
                  rows={5}
                  required
                  // A little room over the limit, so a paste is not cut silently; the count says so.
                  maxLength={INTRO_MAX + 100}
                  aria-describedby={`${describedBy ?? ''} ${countId}`.trim()}
                  aria-invalid={outside || undefined}
                  value={intro}
                  onInput={(e) => setIntro((e.target as HTMLTextAreaElement).value)}
                />
                <p
                  class={`char-count${outside ? ' char-count--over' : ''}`}
                  id={countId}
                  data-testid="intro-count"
                >
                  {t('studio.introCount', { count, max: INTRO_MAX })}
                </p>
              </>
            )}
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('studio.applying') : t('studio.apply')}
          </button>
        </fieldset>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}
