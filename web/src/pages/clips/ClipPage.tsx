// A clip's page ([000] (3): hosts clip recordings into short videos): anyone once the host has
// published it; before that its host alone (anyone else gets "not found", like an id that does not
// exist). The MP4 is fetched with the session and played from a blob, so an unpublished clip never
// needs a link that works without it.
import { useEffect, useState } from 'preact/hooks';
import type { Clip } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageTitle } from '../../components/PageTitle';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { formatDuration } from '../../lib/duration';

interface LoadedClip {
  clip: Clip;
  url: string;
}

export function ClipPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { client } = useApp();
  const loaded = useResource<LoadedClip>(async () => {
    const [clip, media] = await Promise.all([client.clip(id), client.clipMedia(id)]);
    return { clip, url: URL.createObjectURL(media) };
  }, [client, id]);
  const url = loaded.data?.url;
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);

  return (
    <article class="clip-page">
      <PageTitle>{loaded.data ? loaded.data.clip.title : t('clip.title')}</PageTitle>
      {!loaded.data ? (
        loaded.error ? (
          <ErrorMessage error={loaded.error} />
        ) : (
          <Loading />
        )
      ) : (
        <ClipView clip={loaded.data.clip} url={loaded.data.url} />
      )}
    </article>
  );
}

function ClipView({ clip, url }: { clip: Clip; url: string }) {
  const { t } = useI18n();
  const [playing, setPlaying] = useState(false);
  return (
    <div class="stack" data-testid="clip-page" data-published={clip.published_at !== null}>
      <div class="player__frame">
        <video
          src={url}
          controls
          playsInline
          aria-label={t('clip.videoLabel', { title: clip.title })}
          data-testid="clip-video"
          onPlaying={() => setPlaying(true)}
        />
      </div>
      <p class="hint">
        {t('clip.length', { duration: formatDuration(clip.duration_ms) })}
        {playing ? null : ` ${t('clip.pressPlay')}`}
      </p>
      {clip.mine && clip.published_at === null ? (
        <p class="message message--warn" data-testid="clip-private">
          {t('clip.private')} <a href={paths.studio}>{t('clip.toStudio')}</a>
        </p>
      ) : null}
    </div>
  );
}
