// Register or log in: a code by SMS (which also registers a new number), or a password.
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { navigate } from '../../app/router';
import { PageTitle } from '../../components/PageTitle';
import { useI18n } from '../../i18n';
import { afterLoginPath } from './afterLogin';
import { CodeLoginForm } from './CodeLoginForm';
import { PasswordLoginForm } from './PasswordLoginForm';

const METHODS = ['code', 'password'] as const;
type Method = (typeof METHODS)[number];

export function LoginPage() {
  const { t } = useI18n();
  const { choice, openChoices, me } = useApp();
  const [method, setMethod] = useState<Method>('code');

  // Someone already logged in has nothing to do here.
  useEffect(() => {
    if (me) navigate(afterLoginPath(me.status));
  }, [me]);

  return (
    <article class="login">
      <PageTitle>{t('login.title')}</PageTitle>
      {choice?.mode !== 'accepted' ? (
        <section class="card" aria-labelledby="needs-consent" data-testid="login-needs-consent">
          <h2 id="needs-consent">{t('login.needsConsent.title')}</h2>
          <p>{t('login.needsConsent.body')}</p>
          <button type="button" class="primary" onClick={openChoices}>
            {t('login.needsConsent.button')}
          </button>
        </section>
      ) : (
        <>
          <p class="lead">{t('login.lead')}</p>
          <div class="segmented" role="group" aria-label={t('login.method.label')}>
            {METHODS.map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={method === option}
                onClick={() => setMethod(option)}
              >
                {t(`login.method.${option}`)}
              </button>
            ))}
          </div>
          {method === 'code' ? (
            <CodeLoginForm consent={{ policy_version: choice.version, purposes: choice.purposes }} />
          ) : (
            <PasswordLoginForm />
          )}
        </>
      )}
    </article>
  );
}
