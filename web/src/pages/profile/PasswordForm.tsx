import { useState } from 'preact/hooks';
import type { Me } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { InputField } from '../../components/InputField';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useI18n } from '../../i18n';

// docs/api.md: PUT /me/password takes 8–128 characters.
const MIN_LENGTH = 8;
const MAX_LENGTH = 128;

export function PasswordForm({ me, disabled }: { me: Me; disabled: boolean }) {
  const { t } = useI18n();
  const { client, setMe } = useApp();
  const [password, setPassword] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const [done, setDone] = useState(false);
  const { busy, error, setError, run } = useRequest();
  const heading = me.has_password ? t('profile.passwordHeading.change') : t('profile.passwordHeading.set');

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(false);
    setError(null);
    const length = [...password].length;
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    await run(async () => {
      await client.setPassword(password);
      setPassword('');
      setDone(true);
      setMe({ ...me, has_password: true });
    });
  };

  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">{heading}</h2>
      <form onSubmit={submit} noValidate>
        <fieldset disabled={disabled} class="plain">
          <InputField
            label={t('profile.password')}
            hint={t('profile.passwordHelp')}
            name="new_password"
            type="password"
            autoComplete="new-password"
            minLength={MIN_LENGTH}
            maxLength={MAX_LENGTH}
            value={password}
            aria-invalid={tooShort || undefined}
            onValue={(value) => {
              setPassword(value);
              setTooShort(false);
            }}
          />
          {tooShort ? (
            <p class="message message--error" role="alert">
              {t('profile.passwordLength')}
            </p>
          ) : null}
          <button type="submit" class="secondary" disabled={busy}>
            {t('profile.passwordSubmit')}
          </button>
        </fieldset>
      </form>
      <ErrorMessage error={error} />
      {done ? <Notice>{t('profile.passwordSaved')}</Notice> : null}
    </section>
  );
}
