// The host's own view of a masked co-host ([000] 面具连线): the unblurred picture, which reaches
// this host's browser alone (the server opens it for the host's login session only). Shown on
// request, so the host chooses when to spend the bandwidth.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useI18n } from '../../i18n';
import { type WhepSession, watchUnmaskedCohost } from '../../media/whepViewer';

type ViewState = 'closed' | 'connecting' | 'showing';

export function UnmaskedCohostView({ roomId, requestId, who }: { roomId: string; requestId: string; who: string }) {
  const { t } = useI18n();
  const { client, token } = useApp();
  const [state, setState] = useState<ViewState>('closed');
  const [error, setError] = useState<unknown>(null);
  const video = useRef<HTMLVideoElement>(null);
  const session = useRef<WhepSession | null>(null);

  const close = () => {
    session.current?.close();
    session.current = null;
    setState('closed');
  };
  useEffect(() => close, []);

  const open = async () => {
    if (!token) return;
    setError(null);
    setState('connecting');
    try {
      session.current = await watchUnmaskedCohost(client, roomId, requestId, token);
      setState('showing');
    } catch (e) {
      setError(e);
      setState('closed');
    }
  };
  useEffect(() => {
    const element = video.current;
    if (state !== 'showing' || !element || !session.current) return;
    element.srcObject = session.current.stream;
    // autoPlay alone leaves a stream attached after mounting paused in some browsers.
    void element.play().catch(() => undefined);
  }, [state]);

  return (
    <div class="unmasked-view" data-testid="unmasked-view" data-state={state}>
      {state === 'closed' ? (
        <button type="button" class="secondary small" aria-label={t('cohost.unmaskedOpenLabel', { who })} onClick={() => void open()}>
          {t('cohost.unmaskedOpen')}
        </button>
      ) : (
        <>
          {state === 'connecting' ? <p role="status">{t('cohost.unmaskedConnecting')}</p> : null}
          <video ref={video} class="unmasked-view__video" muted autoPlay playsInline aria-label={t('cohost.unmaskedVideo', { who })} />
          <button type="button" class="secondary small" onClick={close}>
            {t('cohost.unmaskedClose')}
          </button>
        </>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
