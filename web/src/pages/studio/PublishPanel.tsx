// Going on air from the browser: choose the camera, the screen or the microphone alone, pick the
// devices, see a preview, and send it to the room by WHIP with a fresh publish credential. The
// state is always said in words: asking for permission, connecting, on air, stopped, or why not.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { RoomMode } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useI18n } from '../../i18n';
import type { SourceKind, WhipSession } from '../../media/whipPublisher';
import { captureSource, publishByWhip } from '../../media/whipPublisher';

type PublishState = 'idle' | 'asking' | 'connecting' | 'live' | 'lost' | 'denied';

const SOURCES: SourceKind[] = ['camera', 'screen', 'microphone'];

function defaultSource(mode: RoomMode): SourceKind {
  return mode === 'voice' ? 'microphone' : mode === 'screen' ? 'screen' : 'camera';
}

export function PublishPanel({ roomId, mode }: { roomId: string; mode: RoomMode }) {
  const { t } = useI18n();
  const { client } = useApp();
  const [kind, setKind] = useState<SourceKind>(defaultSource(mode));
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [videoDevice, setVideoDevice] = useState('');
  const [audioDevice, setAudioDevice] = useState('');
  const [state, setState] = useState<PublishState>('idle');
  const [error, setError] = useState<unknown>(null);
  const preview = useRef<HTMLVideoElement>(null);
  const session = useRef<WhipSession | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const ids = { camera: useId(), microphone: useId(), heading: useId() };

  const listDevices = () =>
    navigator.mediaDevices
      ?.enumerateDevices()
      .then(setDevices)
      .catch(() => undefined);
  useEffect(() => {
    void listDevices();
    return () => void stop();
  }, []);

  const stop = async () => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    if (preview.current) preview.current.srcObject = null;
    const current = session.current;
    session.current = null;
    await current?.stop();
  };

  const start = async () => {
    setError(null);
    await stop();
    setState('asking');
    let media: MediaStream;
    try {
      media = await captureSource({ kind, videoDevice, audioDevice });
    } catch {
      setState('denied');
      return;
    }
    stream.current = media;
    if (preview.current) preview.current.srcObject = media;
    void listDevices(); // labels appear once permission is given
    setState('connecting');
    try {
      // A fresh credential each time: the one from going live lasts ten minutes.
      const credential = await client.publishCredential(roomId);
      const whip = await publishByWhip(client, roomId, credential.token, media);
      session.current = whip;
      whip.connection.addEventListener('connectionstatechange', () => {
        const c = whip.connection.connectionState;
        if (c === 'connected') setState('live');
        if (c === 'failed' || c === 'disconnected') setState('lost');
      });
      if (whip.connection.connectionState === 'connected') setState('live');
    } catch (e) {
      setError(e);
      setState('idle');
      await stop();
    }
  };

  const end = async () => {
    await stop();
    setState('idle');
  };

  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const microphones = devices.filter((d) => d.kind === 'audioinput');
  const sending = state === 'connecting' || state === 'live' || state === 'lost';

  return (
    <section class="publish" aria-labelledby={ids.heading} data-testid="publish-panel" data-state={state}>
      <h4 id={ids.heading}>{t('publish.heading')}</h4>
      <fieldset class="plain" disabled={sending || state === 'asking'}>
        <legend>{t('publish.source')}</legend>
        {SOURCES.map((source) => (
          <label class="check" key={source}>
            <input type="radio" name={`source-${roomId}`} checked={kind === source} onChange={() => setKind(source)} />{' '}
            {t(`publish.source.${source}`)}
          </label>
        ))}
        {kind === 'camera' && cameras.length > 0 ? (
          <div class="field">
            <label for={ids.camera}>{t('publish.camera')}</label>
            <select id={ids.camera} value={videoDevice} onChange={(e) => setVideoDevice((e.target as HTMLSelectElement).value)}>
              <option value="">{t('publish.defaultDevice')}</option>
              {cameras.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('publish.cameraN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {microphones.length > 0 ? (
          <div class="field">
            <label for={ids.microphone}>{t('publish.microphone')}</label>
            <select id={ids.microphone} value={audioDevice} onChange={(e) => setAudioDevice((e.target as HTMLSelectElement).value)}>
              <option value="">{t('publish.defaultDevice')}</option>
              {microphones.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('publish.microphoneN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </fieldset>
      {kind !== 'microphone' ? (
        <video ref={preview} class="publish__preview" muted autoPlay playsInline aria-label={t('publish.preview')} />
      ) : null}
      <p role="status" data-testid="publish-status">
        {t(`publish.state.${state}`)}
      </p>
      <ErrorMessage error={error} />
      <div class="button-row">
        {sending ? (
          <button type="button" class="secondary" onClick={() => void end()}>
            {t('publish.stop')}
          </button>
        ) : (
          <button type="button" class="primary" disabled={state === 'asking'} onClick={() => void start()}>
            {t('publish.start')}
          </button>
        )}
      </div>
    </section>
  );
}
