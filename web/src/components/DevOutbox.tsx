import { useEffect, useId, useState } from 'preact/hooks';
import type { OutboxMessage } from '../api/types';
import { useApp } from '../app/context';
import { useI18n } from '../i18n';
import { ErrorMessage } from './ErrorMessage';
import { useRequest } from './useRequest';

/**
 * Development servers only (GET /api/v1/info says dev): the development SMS provider's outbox, so
 * a person testing Veil can read the code that a real deployment would send by SMS.
 */
export function DevOutbox({ phone }: { phone: string }) {
  const { t, formatTime } = useI18n();
  const { client, info } = useApp();
  const headingId = useId();
  const [messages, setMessages] = useState<OutboxMessage[] | null>(null);
  const { busy, error, run } = useRequest();
  const [needPhone, setNeedPhone] = useState(false);

  useEffect(() => {
    setMessages(null);
    setNeedPhone(false);
  }, [phone]);

  if (!info?.dev) return null;

  const check = async () => {
    const number = phone.trim();
    if (!number) {
      setNeedPhone(true);
      return;
    }
    setNeedPhone(false);
    await run(async () => {
      const outbox = await client.devOutbox(number);
      setMessages([...outbox.messages].sort((a, b) => b.at - a.at));
    });
  };

  return (
    <section class="dev-outbox" aria-labelledby={headingId} data-testid="dev-outbox">
      <h2 id={headingId}>{t('dev.outbox.title')}</h2>
      <p>{t('dev.outbox.lead', { phone: phone.trim() || '—' })}</p>
      <button type="button" class="secondary" onClick={check} disabled={busy}>
        {t('dev.outbox.check')}
      </button>
      {needPhone ? <p class="hint">{t('dev.outbox.needPhone')}</p> : null}
      <ErrorMessage error={error} />
      {messages !== null ? (
        messages.length === 0 ? (
          <p class="hint" role="status">
            {t('dev.outbox.empty')}
          </p>
        ) : (
          <ol class="dev-outbox__messages" aria-live="polite">
            {messages.map((message, index) => (
              <li key={`${message.at}-${index}`}>
                <time dateTime={new Date(message.at).toISOString()}>{formatTime(message.at)}</time>
                <span class="dev-outbox__text" data-testid="dev-outbox-message">
                  {message.text}
                </span>
              </li>
            ))}
          </ol>
        )
      ) : null}
    </section>
  );
}
