import { paths } from '../app/router';
import { useI18n } from '../i18n';

export function LoginRequired() {
  const { t } = useI18n();
  return (
    <div class="empty">
      <p>{t('session.loginNeeded')}</p>
      <p>
        <a class="button" href={paths.login}>
          {t('session.loginLink')}
        </a>
      </p>
    </div>
  );
}
