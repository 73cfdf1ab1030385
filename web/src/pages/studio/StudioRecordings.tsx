// The host's recordings and clips ([000] (3) 直播录像: every live is recorded and kept 60 days;
// hosts may clip recordings into short videos). Replay is HLS decrypted by the server as it is
// served: hls.js sends the host's session with every request (xhrSetup), so nothing else is
// issued for it. A clip is cut on the server from whole seconds; while it is being cut the form
// says so. A clip is the host's alone until published; then its page plays for anyone.
import type Hls from 'hls.js';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Clip, Recording } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { InputField } from '../../components/InputField';
import { Loading } from '../../components/Loading';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { formatDuration } from '../../lib/duration';

// docs/api.md: a clip lasts 1 to 60 seconds; its title has 1 to 60 characters.
const CLIP_MAX_SECONDS = 60;
const TITLE_MAX = 60;

export function StudioRecordings() {
  const { t, lang } = useI18n();
  const { client } = useApp();
  const recordings = useResource(() => client.recordings(), [client]);
  const clips = useResource(() => client.clips(), [client]);
  const [open, setOpen] = useState<string | null>(null);
  const removing = useRequest();

  const remove = (recording: Recording) =>
    void removing.run(async () => {
      if (!window.confirm(t('recordings.confirmDelete'))) return;
      await client.deleteRecording(recording.id);
      if (open === recording.id) setOpen(null);
      recordings.set((recordings.data ?? []).filter((r) => r.id !== recording.id));
      clips.set((clips.data ?? []).filter((c) => c.recording_id !== recording.id));
    });

  return (
    <>
      <section class="card" aria-labelledby="studio-recordings" data-testid="recordings">
        <h2 id="studio-recordings">{t('recordings.heading')}</h2>
        <p class="hint">{t('recordings.kept')}</p>
        {recordings.error ? (
          <ErrorMessage error={recordings.error} />
        ) : !recordings.data ? (
          <Loading />
        ) : recordings.data.length === 0 ? (
          <p class="empty" data-testid="recordings-empty">
            {t('recordings.empty')}
          </p>
        ) : (
          <ul class="plain-list">
            {recordings.data.map((recording) => (
              <li key={recording.id} class="recording" data-testid="recording" data-status={recording.status}>
                <p>
                  <strong>{recording.room_title}</strong>{' '}
                  <span class="hint">
                    {new Date(recording.created_at).toLocaleString(lang)} · {formatDuration(recording.duration_ms)}
                  </span>{' '}
                  <span class={`badge${recording.status === 'ready' ? ' badge--ok' : ' badge--needed'}`}>
                    {t(`recordings.status.${recording.status}`)}
                  </span>
                  {recording.participants.some((p) => p.masked) ? (
                    <span class="badge badge--separate">{t('recordings.maskedCohost')}</span>
                  ) : null}
                </p>
                <div class="actions">
                  <button
                    type="button"
                    class="secondary small"
                    aria-expanded={open === recording.id}
                    onClick={() => setOpen(open === recording.id ? null : recording.id)}
                    data-testid="recording-replay"
                  >
                    {open === recording.id ? t('recordings.close') : t('recordings.replay')}
                  </button>
                  <button
                    type="button"
                    class="secondary small"
                    disabled={removing.busy}
                    onClick={() => remove(recording)}
                  >
                    {t('recordings.delete')}
                  </button>
                </div>
                {open === recording.id ? (
                  <Replay recording={recording} onClip={(clip) => clips.set([clip, ...(clips.data ?? [])])} />
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <ErrorMessage error={removing.error} />
      </section>
      <ClipList clips={clips.data} error={clips.error} onChange={(next) => clips.set(next)} />
    </>
  );
}

function Replay({ recording, onClip }: { recording: Recording; onClip: (clip: Clip) => void }) {
  const { t } = useI18n();
  const { client } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'loading' | 'playing' | 'failed'>('loading');

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let hls: Hls | null = null;
    let stopped = false;
    const playing = () => setState('playing');
    element.addEventListener('playing', playing);
    void (async () => {
      const { default: Hls } = await import('hls.js/light');
      if (stopped) return;
      if (!Hls.isSupported()) {
        setState('failed');  // Safari's own HLS cannot send the session with each request
        return;
      }
      const headers = client.replayHeaders();
      hls = new Hls({
        xhrSetup: (xhr) => {
          for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
        },
      });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) setState('failed');
      });
      hls.loadSource(client.recordingPlaylistUrl(recording.id));
      hls.attachMedia(element);
    })();
    return () => {
      stopped = true;
      element.removeEventListener('playing', playing);
      hls?.destroy();
    };
  }, [client, recording.id]);

  return (
    <div class="stack replay" data-testid="replay" data-state={state}>
      <div class="player__frame">
        <video
          ref={video}
          controls
          playsInline
          aria-label={t('recordings.videoLabel', { title: recording.room_title })}
          data-testid="replay-video"
        />
        {state === 'failed' ? (
          <p class="player__overlay" role="status">
            {t('recordings.replayFailed')}
          </p>
        ) : null}
      </div>
      {recording.status === 'ready' ? (
        <ClipForm recording={recording} video={video} onClip={onClip} />
      ) : (
        <p class="hint">{t('recordings.notReady')}</p>
      )}
    </div>
  );
}

function ClipForm(props: {
  recording: Recording;
  video: { current: HTMLVideoElement | null };
  onClip: (clip: Clip) => void;
}) {
  const { recording, video, onClip } = props;
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const length = Math.floor(recording.duration_ms / 1000);
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(0);
  const [end, setEnd] = useState(Math.min(length, 10));
  const [made, setMade] = useState<Clip | null>(null);
  const rangeId = useId();
  const seconds = end - start;
  const rangeOk = seconds >= 1 && seconds <= CLIP_MAX_SECONDS && start >= 0 && end <= length;
  const now = () => Math.floor(video.current?.currentTime ?? 0);

  const submit = onSubmit(async () => {
    setMade(null);
    const clip = await client.cutClip(recording.id, { title: title.trim(), start_ms: start * 1000, end_ms: end * 1000 });
    setMade(clip);
    onClip(clip);
  });

  const secondsField = (label: string, value: number, set: (n: number) => void, testId: string) => (
    <div class="field">
      <label>
        {label}{' '}
        <input
          type="number"
          min={0}
          max={length}
          step={1}
          inputMode="numeric"
          value={value}
          aria-describedby={rangeId}
          onInput={(e) => set(Math.max(0, Math.floor(Number((e.target as HTMLInputElement).value) || 0)))}
          data-testid={testId}
        />
      </label>{' '}
      <button type="button" class="secondary small" onClick={() => set(now())}>
        {t('recordings.clip.useNow')}
      </button>
    </div>
  );

  return (
    <form onSubmit={submit} noValidate data-testid="clip-form" aria-label={t('recordings.clip.heading')}>
      <fieldset class="plain" disabled={busy}>
        <legend>{t('recordings.clip.heading')}</legend>
        <InputField
          label={t('recordings.clip.title')}
          name="clip_title"
          type="text"
          maxLength={TITLE_MAX}
          required
          value={title}
          onValue={setTitle}
        />
        {secondsField(t('recordings.clip.start'), start, setStart, 'clip-start')}
        {secondsField(t('recordings.clip.end'), end, setEnd, 'clip-end')}
        <p id={rangeId} class={`hint${rangeOk ? '' : ' char-count--over'}`}>
          {t('recordings.clip.range', { seconds: Math.max(0, seconds), max: CLIP_MAX_SECONDS, length })}
        </p>
        <button type="submit" class="primary" disabled={busy || !rangeOk || title.trim() === ''}>
          {busy ? t('recordings.clip.cutting') : t('recordings.clip.cut')}
        </button>
      </fieldset>
      {busy ? (
        <p role="status" data-testid="clip-progress">
          <progress aria-label={t('recordings.clip.cutting')} /> {t('recordings.clip.cutting')}
        </p>
      ) : null}
      {made ? (
        <p class="message message--ok" role="status" data-testid="clip-made">
          {t('recordings.clip.made', { title: made.title })} <a href={paths.clip(made.id)}>{t('recordings.clip.open')}</a>
        </p>
      ) : null}
      <ErrorMessage error={error} />
    </form>
  );
}

function ClipList(props: { clips: Clip[] | null; error: unknown; onChange: (clips: Clip[]) => void }) {
  const { clips, error, onChange } = props;
  const { t } = useI18n();
  const { client } = useApp();
  const action = useRequest();

  const replace = (clip: Clip) => onChange((clips ?? []).map((c) => (c.id === clip.id ? clip : c)));
  const togglePublished = (clip: Clip) =>
    void action.run(async () => replace(await client.publishClip(clip.id, clip.published_at === null)));
  const remove = (clip: Clip) =>
    void action.run(async () => {
      if (!window.confirm(t('recordings.clips.confirmDelete'))) return;
      await client.deleteClip(clip.id);
      onChange((clips ?? []).filter((c) => c.id !== clip.id));
    });

  return (
    <section class="card" aria-labelledby="studio-clips" data-testid="clips">
      <h2 id="studio-clips">{t('recordings.clips.heading')}</h2>
      {error ? (
        <ErrorMessage error={error} />
      ) : !clips ? (
        <Loading />
      ) : clips.length === 0 ? (
        <p class="empty" data-testid="clips-empty">
          {t('recordings.clips.empty')}
        </p>
      ) : (
        <ul class="plain-list">
          {clips.map((clip) => (
            <li key={clip.id} data-testid="clip" data-published={clip.published_at !== null}>
              <p>
                <a href={paths.clip(clip.id)}>{clip.title}</a>{' '}
                <span class="hint">{formatDuration(clip.duration_ms)}</span>{' '}
                <span class={`badge${clip.published_at !== null ? ' badge--ok' : ''}`}>
                  {t(clip.published_at !== null ? 'recordings.clips.published' : 'recordings.clips.private')}
                </span>
              </p>
              <div class="actions">
                <button
                  type="button"
                  class="secondary small"
                  disabled={action.busy}
                  aria-pressed={clip.published_at !== null}
                  onClick={() => togglePublished(clip)}
                  data-testid="clip-publish"
                >
                  {t(clip.published_at !== null ? 'recordings.clips.unpublish' : 'recordings.clips.publish')}
                </button>
                <button type="button" class="secondary small" disabled={action.busy} onClick={() => remove(clip)}>
                  {t('recordings.clips.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={action.error} />
    </section>
  );
}
