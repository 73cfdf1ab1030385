import { useState } from 'preact/hooks';
import type { ConsentGiven } from '../../api/types';
import { useApp } from '../../app/context';
import { navigate } from '../../app/router';
import { DevOutbox } from '../../components/DevOutbox';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { useI18n } from '../../i18n';
import { afterLoginPath } from './afterLogin';
import { normalizePhone } from './phone';
import { useCountdown } from './useCountdown';

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Phone → code by SMS → code (+ optional birth date) → a session; a new number registers. */
export function CodeLoginForm({ consent }: { consent: ConsentGiven }) {
  const { t } = useI18n();
  const { client, signIn } = useApp();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sent, setSent] = useState<{ phone: string; minutes: number } | null>(null);
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
      const answer = await client.sendCode(number, consent.policy_version);
      setSent({ phone: number, minutes: Math.max(1, Math.round(answer.expires_in / 60)) });
      setResendAt(Date.now() + answer.resend_after * 1000);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const verify = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await client.verify({
        phone: normalizePhone(phone),
        code: code.trim(),
        consent,
        ...(birthDate ? { birth_date: birthDate } : {}),
      });
      signIn(result);
      navigate(afterLoginPath(result.account.status));
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <form class="card" onSubmit={sendCode} noValidate>
        <Field label={t('login.phone')} hint={t('login.phoneHint')}>
          {({ id, describedBy }) => (
            <input
              id={id}
              name="phone"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              required
              maxLength={20}
              value={phone}
              aria-describedby={describedBy}
              onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <button type="submit" class={sent ? 'secondary' : 'primary'} disabled={busy || wait > 0}>
          {wait > 0
            ? t('login.resendIn', { seconds: wait })
            : sent
              ? t('login.resend')
              : t('login.sendCode')}
        </button>
      </form>

      {sent ? (
        <form class="card" onSubmit={verify} noValidate>
          <Notice>{t('login.codeSent', { phone: sent.phone, minutes: sent.minutes })}</Notice>
          <Field label={t('login.code')}>
            {({ id }) => (
              <input
                id={id}
                name="code"
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                maxLength={12}
                value={code}
                onInput={(e) => setCode((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <Field label={t('login.birthDate')} hint={t('login.birthDateHint')}>
            {({ id, describedBy }) => (
              <input
                id={id}
                name="birth_date"
                type="date"
                max={today()}
                min="1900-01-01"
                value={birthDate}
                aria-describedby={describedBy}
                onInput={(e) => setBirthDate((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            {t('login.verify')}
          </button>
        </form>
      ) : null}

      <ErrorMessage error={error} />
      <DevOutbox phone={sent?.phone ?? normalizePhone(phone)} />
    </div>
  );
}
