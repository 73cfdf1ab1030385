import { CLIENT_ERROR_CODES, isApiError } from '../api/client';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';

/** "in 45 seconds", "in 3 minutes", "in 20 hours" (rounded up, so waiting that long is enough). */
function waitText(seconds: number, lang: I18n['lang']): string {
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'always' });
  if (seconds < 60) return relative.format(seconds, 'second');
  if (seconds < 3600) return relative.format(Math.ceil(seconds / 60), 'minute');
  return relative.format(Math.ceil(seconds / 3600), 'hour');
}

/**
 * The server's own message in the person's language, and when a rate limit ends if the server
 * said; our words only when the server sent none.
 */
export function describeError(error: unknown, i18n: Pick<I18n, 't' | 'pick' | 'lang'>): string {
  if (isApiError(error)) {
    if (error.messages) {
      const message = i18n.pick(error.messages);
      if (error.retryAfter === null) return message;
      const gap = i18n.lang === 'zh-CN' ? '' : ' '; // Chinese sentences follow one another without a space
      return `${message}${gap}${i18n.t('error.retryAfter', { when: waitText(error.retryAfter, i18n.lang) })}`;
    }
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
