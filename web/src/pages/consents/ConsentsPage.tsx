// What the person agreed to, with a switch per purpose, and the chained record of every choice with
// a signed receipt to download.
import { useState } from 'preact/hooks';
import type { ConsentRecord, ConsentState, Purpose, PurposeState } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { AccountPage, useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useResource } from '../../components/useResource';
import type { MessageKey } from '../../i18n';
import { useI18n } from '../../i18n';

export function ConsentsPage() {
  const { t } = useI18n();
  return (
    <AccountPage name="consents" title={t('consents.title')} lead={t('consents.lead')}>
      <p>
        <a href={paths.myData}>{t('consents.seeMyData')}</a>
      </p>
      <Consents />
    </AccountPage>
  );
}

function Consents() {
  const { t } = useI18n();
  const { client } = useApp();
  const state = useResource(() => client.consents(), [client]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  useDropEndedSession(state.error);

  const change = async (id: string, grant: boolean) => {
    setBusy(id);
    setError(null);
    setSaved(false);
    try {
      state.set(await client.changeConsents(grant ? { grant: [id] } : { withdraw: [id] }));
      setSaved(true);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(null);
    }
  };

  if (!state.data) return state.error ? <ErrorMessage error={state.error} /> : <Loading />;
  return (
    <div class="stack">
      <PurposeList state={state.data} busy={busy} onChange={change} />
      <ErrorMessage error={error} />
      {saved ? <Notice>{t('consents.saved')}</Notice> : null}
      <Records records={state.data.records} />
    </div>
  );
}

function PurposeList(props: {
  state: ConsentState;
  busy: string | null;
  onChange: (id: string, grant: boolean) => void;
}) {
  const { t, pick, formatTime } = useI18n();
  const { policy } = useApp();
  const { state, busy, onChange } = props;
  const describe = (id: string): Purpose | undefined => policy?.purposes.find((p) => p.id === id);

  return (
    <section class="card" aria-labelledby="purposes-heading">
      <h2 id="purposes-heading">{t('consents.purposesHeading')}</h2>
      <p class="hint">{t('consents.policyVersion', { version: state.policy_version })}</p>
      <ul class="purpose-list" data-testid="purpose-list">
        {state.purposes.map((item: PurposeState) => {
          const purpose = describe(item.id);
          const name = purpose ? pick(purpose.name) : item.id;
          const action = item.granted ? t('consents.withdraw') : t('consents.grant');
          const necessary = item.necessary;
          // The server refuses to withdraw a consent the account cannot exist without
          // (consent_necessary), and one only a guardian gives (consent_by_guardian_only), so no
          // button offers either.
          const byGuardian = item.given_by === 'guardian';
          const locked = (necessary && item.granted) || byGuardian;
          return (
            <li key={item.id} class="purpose-row">
              <div class="purpose-row__text">
                <h3>{name}</h3>
                {purpose ? <p class="hint">{pick(purpose.description)}</p> : null}
                <p>
                  <span class={`badge${item.granted ? ' badge--ok' : ''}`}>
                    {item.granted ? t('consents.granted') : t('consents.notGranted')}
                  </span>
                  {item.at ? (
                    <span class="hint"> {t('consents.since', { date: formatTime(item.at) })}</span>
                  ) : null}
                  {necessary ? (
                    <span class="badge badge--needed">{t('consents.necessary')}</span>
                  ) : null}
                </p>
              </div>
              {locked ? (
                <p class="hint purpose-row__locked">
                  {byGuardian ? t('consents.guardianHint') : t('consents.necessaryHint')}
                </p>
              ) : (
                <button
                  type="button"
                  class={item.granted ? 'secondary' : 'primary'}
                  disabled={busy !== null}
                  aria-label={t('consents.toggleLabel', { action, purpose: name })}
                  onClick={() => onChange(item.id, !item.granted)}
                >
                  {action}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// The ledger's actions (engine ConsentAction); anything newer is shown as the server names it.
const KNOWN_ACTIONS = ['accept', 'grant', 'withdraw'];

function Records({ records }: { records: ConsentRecord[] }) {
  const { t, pick, formatTime } = useI18n();
  const { client, policy } = useApp();
  const [error, setError] = useState<unknown>(null);
  const purposeName = (id: string) => {
    const purpose = policy?.purposes.find((p) => p.id === id);
    return purpose ? pick(purpose.name) : id;
  };
  const actionName = (action: string) =>
    KNOWN_ACTIONS.includes(action) ? t(`consents.action.${action}` as MessageKey) : action;

  const download = async (seq: number) => {
    setError(null);
    try {
      const file = await client.receipt(seq);
      const url = URL.createObjectURL(file.blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (reason) {
      setError(reason);
    }
  };

  const sorted = [...records].sort((a, b) => b.seq - a.seq);
  return (
    <section class="card" aria-labelledby="records-heading">
      <h2 id="records-heading">{t('consents.recordsHeading')}</h2>
      <p class="hint">{t('consents.recordsHelp')}</p>
      <ErrorMessage error={error} />
      {sorted.length === 0 ? (
        <p class="empty">{t('consents.noRecords')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="records-heading" tabIndex={0}>
          <table data-testid="consent-records">
            <thead>
              <tr>
                <th scope="col">{t('consents.col.seq')}</th>
                <th scope="col">{t('consents.col.action')}</th>
                <th scope="col">{t('consents.col.purposes')}</th>
                <th scope="col">{t('consents.col.at')}</th>
                <th scope="col">{t('consents.col.receipt')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((record) => (
                <tr key={record.seq}>
                  <td>{record.seq}</td>
                  <td>{actionName(record.action)}</td>
                  <td>{record.purposes.map(purposeName).join(', ')}</td>
                  <td>
                    <time dateTime={new Date(record.at).toISOString()}>{formatTime(record.at)}</time>
                  </td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-label={t('consents.downloadLabel', { seq: record.seq })}
                      onClick={() => void download(record.seq)}
                    >
                      {t('consents.download')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
