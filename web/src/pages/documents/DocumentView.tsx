import type { DocumentTable, PolicyDocument } from '../../api/types';
import { useI18n } from '../../i18n';

export function DocumentView({ document }: { document: PolicyDocument }) {
  const { t } = useI18n();
  const sections = document.sections.filter(
    (s) => s.heading || s.paragraphs.length > 0 || s.table,
  );
  return (
    <div class="document__body" lang={document.lang}>
      <p class="document__version">{t('documents.version', { version: document.version })}</p>
      {sections.length === 0 ? <p class="empty">{t('documents.empty')}</p> : null}
      {sections.map((section, index) => (
        <section key={index}>
          {section.heading ? <h2>{section.heading}</h2> : null}
          {section.paragraphs.map((paragraph, p) => (
            <p key={p}>{paragraph}</p>
          ))}
          {section.table ? <Table table={section.table} caption={section.heading} /> : null}
        </section>
      ))}
    </div>
  );
}

function Table({ table, caption }: { table: DocumentTable; caption: string }) {
  const { t } = useI18n();
  if (table.rows.length === 0) return <p class="empty">{t('documents.tableEmpty')}</p>;
  return (
    // A wide table scrolls inside its own box on a phone instead of widening the page.
    <div class="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {table.columns.map((column, c) => (
              <th key={c} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) => (
                <td key={c}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
