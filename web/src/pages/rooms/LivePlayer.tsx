// The room's picture and sound: over WebRTC (WHEP, through Janus) for low latency, and from the
// room's HLS output with hls.js (Safari plays HLS itself) when WebRTC is full, unavailable or
// fails. Until the host's stream arrives there is nothing to play: the player says so and asks
// again every two seconds. It starts muted, as browsers only autoplay silent video; one button
// turns the sound on. hls.js is loaded only when it is needed.
import type Hls from 'hls.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { useI18n } from '../../i18n';
import type { WhepSession } from '../../media/whepViewer';
import { watchByWhep } from '../../media/whepViewer';

type PlayerState = 'waiting' | 'playing' | 'failed';
export type Transport = 'webrtc' | 'hls';

const RETRY_MS = 2000;

/** `credential`: the viewer's session token or anonymous viewing ticket (for WebRTC); null: HLS only. */
export function LivePlayer({ roomId, voiceOnly, credential }: { roomId: string; voiceOnly: boolean; credential: string | null }) {
  const { t } = useI18n();
  const { client } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<PlayerState>('waiting');
  const [muted, setMuted] = useState(true);
  const [transport, setTransport] = useState<Transport | null>(null);

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    const url = client.hlsUrl(roomId);
    let hls: Hls | null = null;
    let whep: WhepSession | null = null;
    let retry: number | undefined;
    let stopped = false;
    const playing = () => setState('playing');
    element.addEventListener('playing', playing);

    const start = async () => {
      if (stopped) return;
      if (credential) {
        try {
          whep = await watchByWhep(client, roomId, credential);
          if (stopped) return whep.close();
          element.srcObject = whep.stream;
          setTransport('webrtc');
          void element.play().catch(() => undefined);
          return;
        } catch {
          // Full, unavailable, not live yet, or blocked on this network: HLS below.
        }
      }
      await startHls();
    };
    const startHls = async () => {
      if (stopped) return;
      setTransport('hls');
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
    // A closing tab unmounts nothing: let the server's WebRTC viewer go as the page goes (it
    // counts as watching and holds a place under the cap), and watch again if the browser brings
    // the page back from its back-forward cache.
    const leave = () => {
      whep?.close();
      whep = null;
    };
    const back = (event: PageTransitionEvent) => {
      if (!event.persisted || stopped || hls) return;  // HLS holds nothing on the server
      window.clearTimeout(retry);
      void start();
    };
    window.addEventListener('pagehide', leave);
    window.addEventListener('pageshow', back);
    void start();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      window.removeEventListener('pagehide', leave);
      window.removeEventListener('pageshow', back);
      element.removeEventListener('playing', playing);
      hls?.destroy();
      whep?.close();
    };
  }, [client, roomId, credential]);

  return (
    <section class="player" aria-labelledby="room-player" data-testid="player" data-state={state} data-transport={transport ?? ''}>
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
