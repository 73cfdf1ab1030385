// The room's picture and sound, played from the room's HLS output with hls.js (Safari plays HLS
// itself). Until the host's stream arrives the playlist does not exist yet: the player says so and
// asks again every two seconds. It starts muted, as browsers only autoplay silent video; one
// button turns the sound on. hls.js is loaded only when a room is watched.
import type Hls from 'hls.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { useI18n } from '../../i18n';

type PlayerState = 'waiting' | 'playing' | 'failed';

const RETRY_MS = 2000;

export function LivePlayer({ roomId, voiceOnly }: { roomId: string; voiceOnly: boolean }) {
  const { t } = useI18n();
  const { client } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<PlayerState>('waiting');
  const [muted, setMuted] = useState(true);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const url = client.hlsUrl(roomId);
    let hls: Hls | null = null;
    let retry: number | undefined;
    let stopped = false;
    const playing = () => setState('playing');
    element.addEventListener('playing', playing);

    const start = async () => {
      if (stopped) return;
      const { default: Hls } = await import('hls.js/light');
      if (stopped) return;
      if (!Hls.isSupported()) {
        if (!element.canPlayType('application/vnd.apple.mpegurl')) {
          setState('failed');
          return;
        }
        element.src = url;
        void element.play().catch(() => undefined);
        return;
      }
      // A short live window: the player stays two segments behind the newest.
      const player = new Hls({ liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 5, manifestLoadingMaxRetry: 0 });
      hls = player;
      player.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        player.destroy();
        hls = null;
        setState('waiting');
        retry = window.setTimeout(() => void start(), RETRY_MS);
      });
      player.on(Hls.Events.MANIFEST_PARSED, () => void element.play().catch(() => undefined));
      player.loadSource(url);
      player.attachMedia(element);
    };
    void start();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      element.removeEventListener('playing', playing);
      hls?.destroy();
    };
  }, [client, roomId]);

  return (
    <section class="player" aria-labelledby="room-player" data-testid="player" data-state={state}>
      <h2 id="room-player" class="visually-hidden">
        {t('player.heading')}
      </h2>
      <div class={`player__frame${voiceOnly ? ' player__frame--voice' : ''}`}>
        <video ref={video} muted={muted} playsInline aria-label={t('player.videoLabel')} data-testid="player-video" />
        {state !== 'playing' ? (
          <p class="player__overlay" role="status" data-testid="player-status">
            {t(state === 'failed' ? 'player.unsupported' : 'player.waiting')}
          </p>
        ) : null}
      </div>
      <button type="button" class="secondary small" onClick={() => setMuted(!muted)} aria-pressed={!muted}>
        {t(muted ? 'player.unmute' : 'player.mute')}
      </button>
    </section>
  );
}
