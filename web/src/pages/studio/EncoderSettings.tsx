// Going on air from OBS or another RTMP encoder: the server URL and the stream key (the live
// session's publish credential) to paste into the encoder's stream settings. The key is a secret
// (anyone holding it can broadcast into the room until it expires), so it is hidden until asked.
import { useId, useState } from 'preact/hooks';
import type { PublishCredential } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useI18n } from '../../i18n';

export function EncoderSettings(props: {
  roomId: string;
  credential: PublishCredential | null;
  onCredential: (credential: PublishCredential) => void;
}) {
  const { roomId, credential, onCredential } = props;
  const { t, formatTime } = useI18n();
  const { client } = useApp();
  const [showKey, setShowKey] = useState(false);
  const [copied, setCopied] = useState<'url' | 'key' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ids = { heading: useId(), url: useId(), key: useId() };

  const fetchCredential = async () => {
    setBusy(true);
    setError(null);
    try {
      onCredential(await client.publishCredential(roomId));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const copy = async (what: 'url' | 'key', text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
    } catch {
      setCopied(null); // no clipboard (an insecure origin): the field can still be selected by hand
    }
  };

  const rtmp = credential?.rtmp;
  return (
    <section class="encoder" aria-labelledby={ids.heading} data-testid="encoder-settings">
      <h4 id={ids.heading}>{t('encoder.heading')}</h4>
      {!credential ? (
        <button type="button" class="secondary small" disabled={busy} onClick={() => void fetchCredential()}>
          {t('encoder.show')}
        </button>
      ) : !rtmp ? (
        <p>{t('encoder.unavailable')}</p>
      ) : (
        <>
          <p>{t('encoder.explain')}</p>
          <div class="field">
            <label for={ids.url}>{t('encoder.server')}</label>
            <div class="encoder__row">
              <input id={ids.url} readOnly value={rtmp.url} onFocus={(e) => (e.target as HTMLInputElement).select()} />
              <button type="button" class="secondary small" onClick={() => void copy('url', rtmp.url)}>
                {t('encoder.copyServer')}
              </button>
            </div>
          </div>
          <div class="field">
            <label for={ids.key}>{t('encoder.key')}</label>
            <div class="encoder__row">
              <input
                id={ids.key}
                readOnly
                type={showKey ? 'text' : 'password'}
                value={rtmp.stream_key}
                autoComplete="off"
                onFocus={(e) => (e.target as HTMLInputElement).select()}
              />
              <button type="button" class="secondary small" aria-pressed={showKey} onClick={() => setShowKey(!showKey)}>
                {showKey ? t('encoder.hideKey') : t('encoder.showKey')}
              </button>
              <button type="button" class="secondary small" onClick={() => void copy('key', rtmp.stream_key)}>
                {t('encoder.copyKey')}
              </button>
            </div>
          </div>
          <p role="status">{copied ? t(copied === 'url' ? 'encoder.copiedServer' : 'encoder.copiedKey') : ''}</p>
          <p data-testid="encoder-expiry">{t('encoder.expires', { time: formatTime(credential.expires_at) })}</p>
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
