// The account: masked phone, roles, an optional profile, an optional password, and logging out.
import type { Me } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { AccountPage, FreshAccount } from '../../components/AccountPage';
import { useI18n } from '../../i18n';
import { PasswordForm } from './PasswordForm';
import { ProfileForm } from './ProfileForm';
import { RolesSection } from './RolesSection';

export function ProfilePage() {
  const { t } = useI18n();
  return (
    <AccountPage name="profile" title={t('profile.title')}>
      <FreshAccount>{(me) => <Account me={me} />}</FreshAccount>
    </AccountPage>
  );
}

function Account({ me }: { me: Me }) {
  const { t } = useI18n();
  const { signOut } = useApp();
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
