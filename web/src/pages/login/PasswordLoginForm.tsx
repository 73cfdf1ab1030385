import { useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { navigate } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { InputField } from '../../components/InputField';
import { normalizePhone, PhoneField } from '../../components/PhoneField';
import { useRequest } from '../../components/useRequest';
import { useI18n } from '../../i18n';
import { afterLoginPath } from './afterLogin';

export function PasswordLoginForm() {
  const { t } = useI18n();
  const { client, signIn } = useApp();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, onSubmit } = useRequest();

  const submit = onSubmit(
    async () => {
      const result = await client.passwordLogin(normalizePhone(phone), password);
      signIn(result);
      navigate(afterLoginPath(result.account.status));
    },
    { leaving: true },
  );

  return (
    <form class="card" onSubmit={submit} noValidate>
      <PhoneField label={t('login.phone')} name="phone" autoComplete="tel" value={phone} onValue={setPhone} />
      <InputField
        label={t('login.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        maxLength={128}
        value={password}
        onValue={setPassword}
      />
      <button type="submit" class="primary" disabled={busy}>
        {t('login.passwordSubmit')}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
