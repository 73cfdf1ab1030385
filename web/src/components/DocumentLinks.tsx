import type { DocumentId } from '../api/types';
import { DOCUMENT_IDS } from '../api/types';
import { paths } from '../app/router';
import { useI18n } from '../i18n';

/** The four generated documents, each with a line saying what it holds. */
export function DocumentLinks({ exclude }: { exclude?: DocumentId }) {
  const { t } = useI18n();
  return (
    <ul class="doc-links">
      {DOCUMENT_IDS.filter((doc) => doc !== exclude).map((doc) => (
        <li key={doc}>
          <a href={paths.document(doc)}>{t(`doc.${doc}`)}</a>
          <span class="doc-links__desc">{t(`doc.${doc}.desc`)}</span>
        </li>
      ))}
    </ul>
  );
}
