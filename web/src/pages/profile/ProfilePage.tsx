// The account: masked phone, roles, an optional profile, an optional password, and logging out.
import { useEffect } from 'preact/hooks';
import { isApiError } from '../../api/client';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { LoginRequired } from '../../components/LoginRequired';
import { PageTitle } from '../../components/PageTitle';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';
import { RolesSection } from './RolesSection';

export function ProfilePage() {
  const { t } = useI18n();
  const { token } = useApp();
  return (
    <article class="profile">
      <PageTitle>{t('profile.title')}</PageTitle>
      {token ? <Account /> : <LoginRequired />}
    </article>
  );
}

function Account() {
  const { t } = useI18n();
  const { client, me, setMe, signOut, dropSession } = useApp();
  // Always ask the server afresh: another tab may have changed the account.
  const fresh = useResource(() => client.me(), [client]);
  useEffect(() => {
    if (fresh.data) setMe(fresh.data);
  }, [fresh.data, setMe]);
  useEffect(() => {
    if (isApiError(fresh.error) && fresh.error.status === 401) dropSession();
  }, [fresh.error, dropSession]);

  if (!me) {
    return fresh.error ? <ErrorMessage error={fresh.error} /> : <Loading />;
  }
  const waiting = me.status === 'awaiting_guardian';

  return (
    <div class="stack">
      <section class="card" aria-labelledby="account-heading">
        <h2 id="account-heading">{t('profile.account')}</h2>
        <dl class="facts">
          <div>
            <dt>{t('profile.phone')}</dt>
            <dd data-testid="phone-masked">{me.phone_masked}</dd>
          </div>
          <div>
            <dt>{t('profile.status')}</dt>
            <dd data-testid="account-status">{t(`profile.status.${me.status}`)}</dd>
          </div>
        </dl>
        {me.minor ? <p class="badge">{t('profile.minor')}</p> : null}
        {waiting ? (
          <div class="message message--warn" data-testid="awaiting-guardian">
            <p>{t('profile.awaitingGuardian')}</p>
            <a class="button" href={paths.guardian}>
              {t('profile.goGuardian')}
            </a>
          </div>
        ) : null}
      </section>

      <RolesSection me={me} disabled={waiting} />
      <ProfileForm me={me} disabled={waiting} />
      <PasswordForm me={me} disabled={waiting} />

      <section class="card">
        <button type="button" class="secondary" onClick={() => void signOut()}>
          {t('profile.logout')}
        </button>
      </section>
    </div>
  );
}
