// Under 14 (PRODUCT I1): the account waits until a guardian verifies their own number and consents.
import { useEffect, useId, useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import { useApp } from '../../app/context';
import { navigate, paths } from '../../app/router';
import { DevOutbox } from '../../components/DevOutbox';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { LoginRequired } from '../../components/LoginRequired';
import { Notice } from '../../components/Notice';
import { PageTitle } from '../../components/PageTitle';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { normalizePhone } from '../login/phone';
import { useCountdown } from '../login/useCountdown';

// The server does not say when the guardian may ask again; the same pause as for a login code.
const RESEND_PAUSE_MS = 60_000;

export function GuardianPage() {
  const { t } = useI18n();
  const { token } = useApp();
  return (
    <article class="guardian">
      <PageTitle>{t('guardian.title')}</PageTitle>
      {token ? <GuardianGate /> : <LoginRequired />}
    </article>
  );
}

/** Asks the server where the account stands: only a child still waiting gets the form. */
function GuardianGate() {
  const { t } = useI18n();
  const { client, me, setMe, dropSession } = useApp();
  const fresh = useResource(() => client.me(), [client]);
  useEffect(() => {
    if (fresh.data) setMe(fresh.data);
  }, [fresh.data, setMe]);
  useEffect(() => {
    if (isApiError(fresh.error) && fresh.error.status === 401) dropSession();
  }, [fresh.error, dropSession]);

  if (!me) return fresh.error ? <ErrorMessage error={fresh.error} /> : <Loading />;
  if (me.status !== 'awaiting_guardian') {
    return (
      <div class="empty">
        <p>{t('guardian.alreadyActive')}</p>
        <p>
          <a class="button" href={paths.profile}>
            {t('guardian.toProfile')}
          </a>
        </p>
      </div>
    );
  }
  return <GuardianForm />;
}

function GuardianForm() {
  const { t } = useI18n();
  const { client, setMe } = useApp();
  const agreeId = useId();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [agree, setAgree] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [resendAt, setResendAt] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const wait = useCountdown(resendAt);

  const sendCode = async (event: Event) => {
    event.preventDefault();
    const number = normalizePhone(phone);
    setBusy(true);
    setError(null);
    try {
      await client.guardianCode(number);
      setSentTo(number);
      setResendAt(Date.now() + RESEND_PAUSE_MS);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: Event) => {
    event.preventDefault();
    if (!agree) return;
    setBusy(true);
    setError(null);
    try {
      const me = await client.guardianConsent(normalizePhone(phone), code.trim());
      setMe(me);
      navigate(paths.profile);
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <p class="lead">{t('guardian.lead')}</p>
      <p>{t('guardian.how')}</p>
      <form class="card" onSubmit={sendCode} noValidate>
        <Field label={t('guardian.phone')} hint={t('login.phoneHint')}>
          {({ id, describedBy }) => (
            <input
              id={id}
              name="guardian_phone"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              required
              maxLength={20}
              value={phone}
              aria-describedby={describedBy}
              onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <button type="submit" class={sentTo ? 'secondary' : 'primary'} disabled={busy || wait > 0}>
          {wait > 0
            ? t('login.resendIn', { seconds: wait })
            : sentTo
              ? t('login.resend')
              : t('guardian.sendCode')}
        </button>
      </form>

      {sentTo ? (
        <form class="card" onSubmit={confirm} noValidate>
          <Notice>{t('guardian.codeSent', { phone: sentTo })}</Notice>
          <Field label={t('guardian.code')}>
            {({ id }) => (
              <input
                id={id}
                name="guardian_code"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                required
                maxLength={12}
                value={code}
                onInput={(e) => setCode((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <div class="check">
            <input
              type="checkbox"
              id={agreeId}
              checked={agree}
              onChange={(e) => setAgree((e.target as HTMLInputElement).checked)}
            />
            <label for={agreeId}>{t('guardian.agree')}</label>
          </div>
          <button type="submit" class="primary" disabled={busy || !agree}>
            {t('guardian.submit')}
          </button>
        </form>
      ) : null}

      <ErrorMessage error={error} />
      <DevOutbox phone={sentTo ?? normalizePhone(phone)} />
    </div>
  );
}
