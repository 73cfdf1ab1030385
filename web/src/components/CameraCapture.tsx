// One photo from the device camera, for a face check. The camera is asked for only when the person
// turns it on, and it stops as soon as the photo is taken, turned off, or the page is left. The
// photo lives in memory only: it is handed to the caller as a JPEG data URL and never stored.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n';

/** The photo's size: enough for a face comparison, far below the server's 1 MiB limit. */
export const PHOTO_WIDTH = 640;
export const PHOTO_HEIGHT = 480;
const PHOTO_QUALITY = 0.85;
const MAX_PHOTO_BYTES = 1024 * 1024;

type Failure = 'denied' | 'unavailable' | 'other';
type CameraState = 'off' | 'starting' | 'live' | Failure;
type FocusTarget = 'take' | 'retake' | null;

function failureOf(error: unknown): Failure {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return 'denied';
  }
  if (
    name === 'NotFoundError' ||
    name === 'DevicesNotFoundError' ||
    name === 'OverconstrainedError' ||
    name === 'NotReadableError' ||
    name === 'TrackStartError'
  ) {
    return 'unavailable';
  }
  return 'other';
}

/** Bytes of the image inside a base64 data URL. */
function photoBytes(dataUrl: string): number {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Math.floor((base64.length * 3) / 4);
}

interface CameraCaptureProps {
  /** The photo taken, as a `data:image/jpeg;base64,…` URL; null before one is taken. */
  photo: string | null;
  onPhoto: (photo: string | null) => void;
  disabled?: boolean;
  /** Turn the camera on at once: for when the person has just asked for a photo to be taken. */
  autoStart?: boolean;
  /** The group's own title, styled as a card heading, when no heading stands above it. */
  title?: string;
}

export function CameraCapture(props: CameraCaptureProps) {
  const { photo, onPhoto, disabled = false, autoStart = false, title } = props;
  const { t } = useI18n();
  const legendId = useId();
  const hintId = useId();
  const [state, setState] = useState<CameraState>('off');
  const [ready, setReady] = useState(false);
  const streamRef = useRef<MediaStream | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const takeRef = useRef<HTMLButtonElement>(null);
  const retakeRef = useRef<HTMLButtonElement>(null);
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  const mounted = useRef(true);
  const focusNext = useRef<FocusTarget>(null);

  const stop = () => {
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setReady(false);
  };

  // Leaving the page turns the camera off: another route unmounts this; closing the tab fires
  // pagehide; switching to another tab or app hides the document.
  useEffect(() => {
    mounted.current = true;
    const onLeave = () => {
      if (streamRef.current && (document.visibilityState === 'hidden' || !mounted.current)) {
        stop();
        setState('off');
      }
    };
    const onPageHide = () => {
      if (streamRef.current) {
        stop();
        setState('off');
      }
    };
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onLeave);
    if (autoStart && !photo) void start();
    return () => {
      mounted.current = false;
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('visibilitychange', onLeave);
      stop();
    };
  }, []);

  // The stream goes to the <video> once it is rendered.
  useEffect(() => {
    const video = videoRef.current;
    if (state === 'live' && video && streamRef.current && video.srcObject !== streamRef.current) {
      video.srcObject = streamRef.current;
      void video.play().catch(() => undefined);
    }
  }, [state]);

  // Keyboard focus follows the one button that matters next instead of falling to the page, unless
  // the person has meanwhile moved it elsewhere themselves.
  useEffect(() => {
    const target =
      focusNext.current === 'take' ? takeRef.current : focusNext.current === 'retake' ? retakeRef.current : null;
    if (!target || target.disabled) return;
    focusNext.current = null;
    const active = document.activeElement;
    const wandered = active && active !== document.body && !fieldsetRef.current?.contains(active);
    if (!wandered) target.focus();
  });

  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia) {
      setState('unavailable');
      return;
    }
    setState('starting');
    setReady(false);
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'user', width: { ideal: PHOTO_WIDTH }, height: { ideal: PHOTO_HEIGHT } },
        audio: false,
      });
      if (!mounted.current) {
        // The person left while the browser was asking.
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      streamRef.current = stream;
      focusNext.current = 'take';
      setState('live');
    } catch (error) {
      if (mounted.current) setState(failureOf(error));
    }
  };

  const turnOff = () => {
    stop();
    setState('off');
  };

  const take = () => {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0 || video.videoHeight === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = PHOTO_WIDTH;
    canvas.height = PHOTO_HEIGHT;
    const context = canvas.getContext('2d');
    if (!context) {
      setState('other');
      stop();
      return;
    }
    // The centre of the frame at 4:3, scaled to the photo's size.
    const target = PHOTO_WIDTH / PHOTO_HEIGHT;
    const vw = video.videoWidth;
    const vh = video.videoHeight;
    let sw = vw;
    let sh = vh;
    if (vw / vh > target) sw = vh * target;
    else sh = vw / target;
    context.drawImage(video, (vw - sw) / 2, (vh - sh) / 2, sw, sh, 0, 0, PHOTO_WIDTH, PHOTO_HEIGHT);
    let quality = PHOTO_QUALITY;
    let dataUrl = canvas.toDataURL('image/jpeg', quality);
    while (photoBytes(dataUrl) > MAX_PHOTO_BYTES && quality > 0.4) {
      quality -= 0.15;
      dataUrl = canvas.toDataURL('image/jpeg', quality);
    }
    // Nothing of the frame is kept beyond the data URL handed on.
    canvas.width = 0;
    canvas.height = 0;
    stop();
    setState('off');
    focusNext.current = 'retake';
    onPhoto(dataUrl);
  };

  const retake = () => {
    onPhoto(null);
    void start();
  };

  const failed = state === 'denied' || state === 'unavailable' || state === 'other';

  return (
    <fieldset ref={fieldsetRef} class="camera" aria-describedby={hintId} data-testid="camera">
      <legend id={legendId} class={title ? 'camera__title' : undefined}>
        {title ?? t('camera.legend')}
      </legend>
      <p class="hint" id={hintId}>
        {t('camera.hint')}
      </p>

      {photo ? (
        <>
          <img class="camera__frame" src={photo} alt={t('camera.photoAlt')} data-testid="camera-photo" />
          <p class="message message--ok" role="status">
            {t('camera.taken')}
          </p>
          <div class="button-row">
            <button ref={retakeRef} type="button" class="secondary" disabled={disabled} onClick={retake}>
              {t('camera.retake')}
            </button>
          </div>
        </>
      ) : state === 'live' ? (
        <>
          <video
            ref={videoRef}
            class="camera__frame camera__frame--mirror"
            autoPlay
            playsInline
            muted
            aria-label={t('camera.preview')}
            onLoadedData={() => setReady(true)}
            onPlaying={() => setReady(true)}
          />
          <div class="button-row">
            <button ref={takeRef} type="button" class="primary" disabled={disabled || !ready} onClick={take}>
              {t('camera.take')}
            </button>
            <button type="button" class="secondary" disabled={disabled} onClick={turnOff}>
              {t('camera.off')}
            </button>
          </div>
        </>
      ) : (
        <>
          {state === 'starting' ? (
            <p class="loading" role="status">
              {t('camera.starting')}
            </p>
          ) : null}
          {failed ? (
            <p class="message message--error" role="alert" data-testid="camera-error">
              {t(`camera.error.${state}`)}
            </p>
          ) : null}
          <div class="button-row">
            <button
              type="button"
              class="secondary"
              disabled={disabled || state === 'starting'}
              onClick={() => void start()}
            >
              {failed ? t('camera.tryAgain') : t('camera.on')}
            </button>
          </div>
        </>
      )}
    </fieldset>
  );
}
