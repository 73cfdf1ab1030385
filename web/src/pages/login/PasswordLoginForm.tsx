import { useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { navigate } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { useI18n } from '../../i18n';
import { afterLoginPath } from './afterLogin';
import { normalizePhone } from './phone';

export function PasswordLoginForm() {
  const { t } = useI18n();
  const { client, signIn } = useApp();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await client.passwordLogin(normalizePhone(phone), password);
      signIn(result);
      navigate(afterLoginPath(result.account.status));
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} noValidate>
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
      <Field label={t('login.password')}>
        {({ id }) => (
          <input
            id={id}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={128}
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      <button type="submit" class="primary" disabled={busy}>
        {t('login.passwordSubmit')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
