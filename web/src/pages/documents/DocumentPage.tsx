// A generated document (privacy policy, collected-PI list, third-party list, permission list),
// fetched in the person's language each time it changes.
import type { DocumentId } from '../../api/types';
import { DOCUMENT_IDS } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { DocumentLinks } from '../../components/DocumentLinks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PageTitle } from '../../components/PageTitle';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { DocumentView } from './DocumentView';

function isDocumentId(value: string): value is DocumentId {
  return (DOCUMENT_IDS as readonly string[]).includes(value);
}

export function DocumentPage({ doc }: { doc: string }) {
  const { t } = useI18n();
  if (!isDocumentId(doc)) {
    return (
      <article>
        <PageTitle>{t('documents.unknown')}</PageTitle>
        <DocumentLinks />
      </article>
    );
  }
  return <KnownDocument doc={doc} />;
}

function KnownDocument({ doc }: { doc: DocumentId }) {
  const { t, lang } = useI18n();
  const { client } = useApp();
  const loaded = useResource(() => client.document(doc, lang), [client, doc, lang]);
  // The server's title once it has answered; our name for the document until then.
  const title = loaded.data?.lang === lang ? loaded.data.title : t(`doc.${doc}`);

  return (
    <article class="document">
      <PageTitle>{title}</PageTitle>
      {loaded.loading && !loaded.data ? <Loading /> : null}
      {loaded.error ? (
        <>
          <ErrorMessage error={loaded.error} />
          <button type="button" class="secondary" onClick={loaded.reload}>
            {t('common.retry')}
          </button>
        </>
      ) : null}
      {loaded.data && !loaded.error ? <DocumentView document={loaded.data} /> : null}
      <nav class="document__others" aria-labelledby="other-documents">
        <h2 id="other-documents">{t('documents.others')}</h2>
        <DocumentLinks exclude={doc} />
        <p>
          <a href={paths.home}>{t('documents.back')}</a>
        </p>
      </nav>
    </article>
  );
}
