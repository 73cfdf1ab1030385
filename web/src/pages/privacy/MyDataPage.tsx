// What Veil holds about the person (H1), live from the server: every stored record on their owner
// paths, under the data-map category it belongs to. Personal fields are named; each record's
// non-personal columns (ids, times, states) are tucked under "record details". Encrypted fields
// arrive opened for their owner; indexed and hashed ones are described, never shown.
import type { HeldCategory, HeldValue } from '../../api/types';
import { useApp } from '../../app/context';
import { AccountPage, useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';

export function MyDataPage() {
  const { t } = useI18n();
  return (
    <AccountPage name="my-data" title={t('myData.title')} lead={t('myData.lead')}>
      <MyData />
    </AccountPage>
  );
}

function MyData() {
  const { t } = useI18n();
  const { client } = useApp();
  const held = useResource(() => client.myData(), [client]);
  useDropEndedSession(held.error);

  if (held.error) {
    return (
      <>
        <ErrorMessage error={held.error} />
        <button type="button" class="secondary" onClick={held.reload}>
          {t('common.retry')}
        </button>
      </>
    );
  }
  if (!held.data) return <Loading />;
  if (held.data.categories.length === 0) {
    return (
      <p class="empty" data-testid="my-data-empty">
        {t('myData.empty')}
      </p>
    );
  }
  return (
    <>
      {held.data.categories.map((category) => (
        <Category key={category.id ?? 'other'} category={category} />
      ))}
    </>
  );
}

function Category({ category }: { category: HeldCategory }) {
  const { t, pick } = useI18n();
  const heading = `my-data-${category.id ?? 'other'}`;
  return (
    <section aria-labelledby={heading} data-testid="held-category" data-category={category.id ?? ''}>
      <h2 id={heading}>
        {category.name ? pick(category.name) : t('myData.otherCategory')}{' '}
        {category.sensitive ? <span class="badge badge--separate">{t('myData.sensitive')}</span> : null}
      </h2>
      <ul class="plain-list">
        {category.records.map((record, index) => (
          <li key={`${record.table}-${index}`} class="card" data-testid="held-record" data-table={record.table}>
            <Record values={record.values} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Record({ values }: { values: HeldValue[] }) {
  const { t, pick } = useI18n();
  const fields = values.filter((v) => v.field);
  const context = values.filter((v) => !v.field);
  return (
    <>
      {fields.length > 0 ? (
        <dl class="facts">
          {fields.map((v) => (
            <div key={v.column} data-testid="held-field" data-field={v.field}>
              <dt>{v.name ? pick(v.name) : v.column}</dt>
              <dd>
                <Shown value={v} />
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {context.length > 0 ? (
        <details>
          <summary>{t('myData.recordDetails')}</summary>
          <dl class="facts">
            {context.map((v) => (
              <div key={v.column}>
                <dt>
                  <code>{v.column}</code>
                </dt>
                <dd>
                  <Shown value={v} />
                </dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </>
  );
}

// Times are stored as milliseconds in columns named *_at.
const TIME_COLUMN = /_at$/;

function Shown({ value }: { value: HeldValue }) {
  const { t, formatTime } = useI18n();
  if (!value.stored) return <span class="hint">{t('myData.none')}</span>;
  switch (value.held_as) {
    case 'indexed':
      return <span class="hint">{t('myData.heldAsIndex')}</span>;
    case 'hashed':
      return <span class="hint">{t('myData.heldAsHash')}</span>;
    case 'binary':
      return <span class="hint">{t('myData.heldAsBinary')}</span>;
    case 'sealed':
      if (value.value === null) return <span class="hint">{t('myData.sealedEmpty')}</span>;
      return <span data-testid="held-value">{value.value}</span>;
    default:
      if (value.value === null || value.value === '') return <span class="hint">{t('myData.none')}</span>;
      if (TIME_COLUMN.test(value.column) && /^\d+$/.test(value.value)) {
        const ms = Number(value.value);
        return <time dateTime={new Date(ms).toISOString()}>{formatTime(ms)}</time>;
      }
      return <span data-testid="held-value">{value.value}</span>;
  }
}
