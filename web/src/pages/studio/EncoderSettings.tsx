// Going on air from OBS or another RTMP encoder: the server URL and the stream key (the live
// session's publish credential) to paste into the encoder's stream settings. The key is a secret
// (anyone holding it can broadcast into the room until the live ends or a new key replaces it), so
// it is hidden until asked.
import { useId, useState } from 'preact/hooks';
import type { PublishCredential } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useI18n } from '../../i18n';

const notices = { url: 'encoder.copiedServer', key: 'encoder.copiedKey', new: 'encoder.newKeyDone' } as const;

export function EncoderSettings(props: {
  roomId: string;
  credential: PublishCredential | null;
  onCredential: (credential: PublishCredential) => void;
}) {
  const { roomId, credential, onCredential } = props;
  const { t } = useI18n();
  const { client } = useApp();
  const [showKey, setShowKey] = useState(false);
  const [notice, setNotice] = useState<'url' | 'key' | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ids = { heading: useId(), url: useId(), key: useId() };

  const fetchCredential = async () => {
    setBusy(true);
    setError(null);
    try {
      const replacing = credential !== null;
      onCredential(await client.publishCredential(roomId));
      setNotice(replacing ? 'new' : null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const copy = async (what: 'url' | 'key', text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setNotice(what);
    } catch {
      setNotice(null); // no clipboard (an insecure origin): the field can still be selected by hand
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
          <p role="status">{notice ? t(notices[notice]) : ''}</p>
          <p data-testid="encoder-lifetime">{t('encoder.lifetime')}</p>
          <p>{t('encoder.newKeyExplain')}</p>
          <button type="button" class="secondary small" disabled={busy} onClick={() => void fetchCredential()}>
            {t('encoder.newKey')}
          </button>
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
