import { paths } from '../app/router';
import { useI18n } from '../i18n';
import { NextStep } from './NextStep';

export function LoginRequired() {
  const { t } = useI18n();
  return <NextStep message={t('session.loginNeeded')} href={paths.login} action={t('session.loginLink')} />;
}
