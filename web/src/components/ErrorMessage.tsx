import { CLIENT_ERROR_CODES, isApiError } from '../api/client';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';

/** The server's own message in the person's language; our words only when the server sent none. */
export function describeError(error: unknown, i18n: Pick<I18n, 't' | 'pick'>): string {
  if (isApiError(error)) {
    if (error.messages) return i18n.pick(error.messages);
    if (error.code === CLIENT_ERROR_CODES.network) return i18n.t('error.network');
    return i18n.t('error.unexpected', { status: error.status });
  }
  return i18n.t('error.unexpected', { status: 0 });
}

export function ErrorMessage({ error, id }: { error: unknown; id?: string }) {
  const i18n = useI18n();
  if (!error) return null;
  return (
    <p class="message message--error" role="alert" id={id}>
      {describeError(error, i18n)}
    </p>
  );
}
