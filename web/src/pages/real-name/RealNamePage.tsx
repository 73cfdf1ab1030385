// Real-name verification (PRODUCT B1, B2): legal name, resident ID number and one face photo, with
// the separate `real_name` consent given right before. Once verified, only masks are shown, and a
// later check only compares a new photo. The photo is held in memory until it is sent, never stored.
import { useId, useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { RealNameStatus } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { AccountPage, FreshAccount, useDropEndedSession } from '../../components/AccountPage';
import { CameraCapture } from '../../components/CameraCapture';
import { ErrorMessage } from '../../components/ErrorMessage';
import { InputField } from '../../components/InputField';
import { Loading } from '../../components/Loading';
import { NextStep } from '../../components/NextStep';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';

/** The separate consent the verification needs (datamap: purpose "real_name"). */
export const REAL_NAME_PURPOSE = 'real_name';

/** What a person may type around an ID number (spaces) is not part of it; a final x is an X. */
export function normalizeIdNumber(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export function RealNamePage() {
  const { t } = useI18n();
  return (
    <AccountPage name="real-name" title={t('realName.title')} lead={t('realName.lead')}>
      <FreshAccount>
        {(me) =>
          me.status === 'awaiting_guardian' ? (
            <NextStep
              message={t('realName.awaitingGuardian')}
              href={paths.guardian}
              action={t('profile.goGuardian')}
            />
          ) : (
            <RealName />
          )
        }
      </FreshAccount>
    </AccountPage>
  );
}

function RealName() {
  const { client } = useApp();
  const status = useResource(() => client.realName(), [client]);
  const [justVerified, setJustVerified] = useState(false);
  useDropEndedSession(status.error);

  if (!status.data) return status.error ? <ErrorMessage error={status.error} /> : <Loading />;
  if (status.data.verified) {
    return <Verified status={status.data} justVerified={justVerified} onChecked={status.set} />;
  }
  return (
    <VerifyForm
      onVerified={(result) => {
        setJustVerified(true);
        status.set(result);
      }}
    />
  );
}

// ---------------------------------------------------------------- not verified yet

function VerifyForm({ onVerified }: { onVerified: (status: RealNameStatus) => void }) {
  const { t, pick, formatTime } = useI18n();
  const { client, policy, setMe } = useApp();
  const consents = useResource(() => client.consents(), [client]);
  const { busy, error, onSubmit } = useRequest();
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [agree, setAgree] = useState(false);
  const [photo, setPhoto] = useState<string | null>(null);
  const agreeId = useId();
  const submitHintId = useId();

  const purpose = policy?.purposes.find((p) => p.id === REAL_NAME_PURPOSE);
  const purposeName = purpose ? pick(purpose.name) : REAL_NAME_PURPOSE;
  const standing = consents.data?.purposes.find((p) => p.id === REAL_NAME_PURPOSE);
  const granted = standing?.granted ?? false;
  const consentGiven = granted || agree;
  const ready = consentGiven && photo !== null;

  const submit = onSubmit(async () => {
    // However the form is submitted, nothing leaves without the consent and a photo.
    if (!ready || photo === null) return;
    if (!granted) consents.set(await client.changeConsents({ grant: [REAL_NAME_PURPOSE] }));
    try {
      const result = await client.verifyRealName({
        name: name.trim(),
        id_number: normalizeIdNumber(idNumber),
        face_image: photo,
      });
      setPhoto(null);
      onVerified(result);
    } catch (reason) {
      // Under 14 by the ID number: the account now waits for a guardian, and the page says so.
      if (isApiError(reason) && reason.code === 'guardian_consent_required') {
        setPhoto(null);
      }
      throw reason;
    } finally {
      // The birth date in the number decides `minor` (and maybe the guardian step).
      client.me().then(setMe, () => undefined);
    }
  });

  return (
    <form class="stack" onSubmit={submit} noValidate data-testid="real-name-form">
      <section class="card" aria-labelledby="rn-why">
        <h2 id="rn-why">{t('realName.whyHeading')}</h2>
        <p>{t('realName.why')}</p>
        <p class="hint">{t('realName.onlyMasks')}</p>
      </section>

      <section class="card" aria-labelledby="rn-identity">
        <h2 id="rn-identity">{t('realName.identityHeading')}</h2>
        <fieldset class="plain" disabled={busy}>
          <InputField
            label={t('realName.name')}
            hint={t('realName.nameHint')}
            name="legal_name"
            type="text"
            autoComplete="name"
            maxLength={40}
            required
            value={name}
            onValue={setName}
          />
          <InputField
            label={t('realName.idNumber')}
            hint={t('realName.idNumberHint')}
            name="id_number"
            type="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            maxLength={24}
            required
            value={idNumber}
            onValue={setIdNumber}
          />
        </fieldset>
      </section>

      <div class="card">
        <CameraCapture photo={photo} onPhoto={setPhoto} disabled={busy} title={t('realName.photoHeading')} />
      </div>

      <section class="card" aria-labelledby="rn-consent">
        <h2 id="rn-consent">{t('realName.consentHeading')}</h2>
        {granted ? (
          <>
            {purpose ? <PurposeDescription id={`${agreeId}-desc`} /> : null}
            <p class="message message--ok" data-testid="real-name-consent-given">
              {standing?.at
                ? t('realName.consentGivenAt', { purpose: purposeName, date: formatTime(standing.at) })
                : t('realName.consentGiven', { purpose: purposeName })}{' '}
              <a href={paths.consents}>{t('realName.consentManage')}</a>
            </p>
          </>
        ) : (
          // As in the first-visit dialog: one unticked box per purpose, its description beside it.
          <div class="purpose">
            <input
              type="checkbox"
              id={agreeId}
              name="real_name_consent"
              checked={agree}
              disabled={busy}
              aria-describedby={purpose ? `${agreeId}-desc` : undefined}
              onChange={(event) => setAgree((event.target as HTMLInputElement).checked)}
            />
            <div class="purpose__text">
              <label for={agreeId}>{t('realName.consentLabel', { purpose: purposeName })}</label>
              {purpose ? <PurposeDescription id={`${agreeId}-desc`} /> : null}
            </div>
          </div>
        )}
      </section>

      <div>
        {!ready ? (
          <p class="hint" id={submitHintId}>
            {t('realName.submitHint')}
          </p>
        ) : null}
        <button
          type="submit"
          class="primary"
          disabled={busy || !ready}
          aria-describedby={!ready ? submitHintId : undefined}
        >
          {busy ? t('realName.submitting') : t('realName.submit')}
        </button>
        {busy ? <Progress label={t('realName.progress')} /> : null}
        <ErrorMessage error={error} />
      </div>
    </form>
  );
}

/** The `real_name` purpose as the policy states it: the kinds of separate consent, and what it does. */
function PurposeDescription({ id }: { id: string }) {
  const { t, pick } = useI18n();
  const { policy } = useApp();
  const purpose = policy?.purposes.find((p) => p.id === REAL_NAME_PURPOSE);
  if (!purpose) return null;
  return (
    <div id={id}>
      {purpose.separate.length > 0 ? (
        <span class="badge badge--separate">
          {t('consent.separateNotice')}{' '}
          {purpose.separate.map((kind) => t(`consent.separate.${kind}`)).join(' · ')}
        </span>
      ) : null}
      <p class="purpose__desc">{pick(purpose.description)}</p>
    </div>
  );
}

/** An indeterminate bar with its words: the check can take a few seconds at the provider. */
export function Progress({ label }: { label: string }) {
  return (
    <p class="progress" role="status" data-testid="progress">
      <progress aria-hidden="true" />
      <span>{label}</span>
    </p>
  );
}

// ---------------------------------------------------------------- verified

function Verified(props: {
  status: RealNameStatus;
  justVerified: boolean;
  onChecked: (status: RealNameStatus) => void;
}) {
  const { status, justVerified, onChecked } = props;
  const { t, formatTime } = useI18n();
  return (
    <div class="stack">
      {justVerified ? <Notice>{t('realName.verifiedNow')}</Notice> : null}
      <section class="card" aria-labelledby="rn-status" data-testid="real-name-status">
        <h2 id="rn-status">{t('realName.verifiedHeading')}</h2>
        <p>
          <span class="badge badge--ok">{t('realName.verifiedBadge')}</span>
        </p>
        <dl class="facts">
          <div>
            <dt>{t('realName.name')}</dt>
            <dd data-testid="real-name-name">{status.name_masked}</dd>
          </div>
          <div>
            <dt>{t('realName.idNumber')}</dt>
            <dd data-testid="real-name-id">{status.id_number_masked}</dd>
          </div>
          {status.verified_at ? (
            <div>
              <dt>{t('realName.verifiedAt')}</dt>
              <dd>
                <time dateTime={new Date(status.verified_at).toISOString()}>
                  {formatTime(status.verified_at)}
                </time>
              </dd>
            </div>
          ) : null}
          {status.face_checked_at ? (
            <div>
              <dt>{t('realName.faceCheckedAt')}</dt>
              <dd data-testid="real-name-face-checked">
                <time dateTime={new Date(status.face_checked_at).toISOString()}>
                  {formatTime(status.face_checked_at)}
                </time>
              </dd>
            </div>
          ) : null}
        </dl>
        <p class="hint">{t('realName.fixed')}</p>
      </section>
      <FaceRecheck onChecked={onChecked} />
    </div>
  );
}

function FaceRecheck({ onChecked }: { onChecked: (status: RealNameStatus) => void }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, setError, onSubmit } = useRequest();
  const [open, setOpen] = useState(false);
  const [photo, setPhoto] = useState<string | null>(null);
  const [passed, setPassed] = useState(false);

  const close = () => {
    setPhoto(null);
    setOpen(false);
    setError(null);
  };

  const send = onSubmit(async () => {
    if (photo === null) return;
    const result = await client.recheckFace(photo);
    setPhoto(null);
    setOpen(false);
    setPassed(true);
    onChecked(result);
  });

  return (
    <section class="card" aria-labelledby="rn-recheck">
      <h2 id="rn-recheck">{t('realName.recheckHeading')}</h2>
      <p class="hint">{t('realName.recheckHelp')}</p>
      {open ? (
        <form onSubmit={send} noValidate>
          {/* The person just asked for a new photo: the camera starts at once. */}
          <CameraCapture photo={photo} onPhoto={setPhoto} disabled={busy} autoStart />
          <div class="button-row">
            <button type="submit" class="primary" disabled={busy || photo === null}>
              {busy ? t('realName.submitting') : t('realName.recheckSend')}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={close}>
              {t('realName.recheckCancel')}
            </button>
          </div>
          {busy ? <Progress label={t('realName.progress')} /> : null}
        </form>
      ) : (
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setPassed(false);
            setError(null);
            setOpen(true);
          }}
        >
          {t('realName.recheck')}
        </button>
      )}
      <ErrorMessage error={error} />
      {passed ? <Notice>{t('realName.recheckPassed')}</Notice> : null}
    </section>
  );
}
