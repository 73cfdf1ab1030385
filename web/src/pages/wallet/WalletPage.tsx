// The wallet (C10): the coin balance, buying coins through the payment provider, and every recharge,
// gift and withdrawal. After the checkout the person comes back here with the order number
// (`#/wallet?order=…`) and reads how the order ended. What is kept and who receives what is said
// on the page, in the policy's own words.
import { useState } from 'preact/hooks';
import type { LedgerLine, RechargeAmount, RechargeOrder, Wallet } from '../../api/types';
import { useApp } from '../../app/context';
import { navigate, paths } from '../../app/router';
import { AccountPage, useDropEndedSession } from '../../components/AccountPage';
import { useActionIds } from '../../components/actionIds';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { checkoutTarget } from './checkoutTarget';
import { LedgerItem } from './LedgerItem';
import { coinsText, formatYuan } from './money';

/** The policy purposes that say what the wallet keeps (datamap: recharge, gifting, withdrawal). */
const WALLET_PURPOSES = ['recharge', 'gifting', 'withdrawal'];

export function WalletPage({ order }: { order: string | null }) {
  const { t } = useI18n();
  return (
    <AccountPage name="wallet" title={t('wallet.title')} lead={t('wallet.lead')}>
      <WalletView order={order} />
    </AccountPage>
  );
}

function WalletView({ order }: { order: string | null }) {
  const { t } = useI18n();
  const { client } = useApp();
  const wallet = useResource(() => client.wallet(), [client]);
  useDropEndedSession(wallet.error);

  return (
    <div class="stack">
      {order ? <OrderOutcome key={order} order={order} onChanged={wallet.reload} /> : null}
      {wallet.error ? (
        <div>
          <ErrorMessage error={wallet.error} />
          <button type="button" class="secondary" onClick={wallet.reload}>
            {t('common.retry')}
          </button>
        </div>
      ) : !wallet.data ? (
        <Loading />
      ) : (
        <>
          <Balance wallet={wallet.data} />
          <Recharge amounts={wallet.data.recharge_amounts} />
          <History lines={wallet.data.lines} />
        </>
      )}
      <WhatIsKept />
    </div>
  );
}

/** How the order the person just paid (or not) ended, as the server has it. */
function OrderOutcome({ order, onChanged }: { order: string; onChanged: () => void }) {
  const { client } = useApp();
  const outcome = useResource(() => client.rechargeOrder(order), [client, order]);
  const refresh = () => {
    outcome.reload();
    onChanged();
  };
  if (outcome.error) return <ErrorMessage error={outcome.error} />;
  if (!outcome.data) return <Loading />;
  return <OrderStatus order={outcome.data} onRefresh={refresh} />;
}

function OrderStatus({ order, onRefresh }: { order: RechargeOrder; onRefresh: () => void }) {
  const { t } = useI18n();
  const vars = { order: order.order_no, coins: coinsText(order.coins, t) };
  if (order.status === 'paid') {
    return (
      <div data-testid="order-outcome" data-status="paid">
        <Notice>{t('wallet.order.paid', vars)}</Notice>
      </div>
    );
  }
  return (
    <div class="message message--warn" role="status" data-testid="order-outcome" data-status={order.status}>
      <p>{order.status === 'failed' ? t('wallet.order.failed', vars) : t('wallet.order.pending', vars)}</p>
      {order.status === 'pending' ? (
        <p>
          <button type="button" class="secondary small" onClick={onRefresh}>
            {t('wallet.order.refresh')}
          </button>
        </p>
      ) : null}
    </div>
  );
}

function Balance({ wallet }: { wallet: Wallet }) {
  const { t } = useI18n();
  const { me } = useApp();
  const host = wallet.earnings > 0 || Boolean(me?.roles.includes('streamer'));
  return (
    <section class="card" aria-labelledby="wallet-balance" data-testid="wallet-balance">
      <h2 id="wallet-balance">{t('wallet.balanceHeading')}</h2>
      <p class="wallet-figure">
        <strong data-testid="wallet-coins">{wallet.coins}</strong> {t('wallet.coinsUnit')}
      </p>
      <p class="hint">{t('wallet.balanceHint')}</p>
      {host ? (
        <p data-testid="wallet-earnings">
          {t('wallet.earnings', { coins: coinsText(wallet.earnings, t) })} <a href={paths.studio}>{t('wallet.toStudio')}</a>
        </p>
      ) : null}
    </section>
  );
}

function Recharge({ amounts }: { amounts: RechargeAmount[] }) {
  const { t, lang } = useI18n();
  const { client, info } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const ids = useActionIds();
  const [chosen, setChosen] = useState<number | null>(amounts[0]?.amount_cents ?? null);
  const amount = amounts.find((a) => a.amount_cents === chosen) ?? null;

  const submit = onSubmit(
    async () => {
      if (!amount) return;
      // The same amount tried again (a double click, a retry) is the same order on the server.
      const order = await client.recharge(amount.amount_cents, ids.idFor(String(amount.amount_cents)));
      ids.done();
      const target = order.pay_url ? checkoutTarget(order.pay_url) : null;
      if (target && 'hash' in target) navigate(target.hash);
      else if (target) location.assign(target.href);
      // Settled already (the same request answered again): the outcome is what there is to show.
      else navigate(paths.walletOrder(order.order_no));
    },
    { leaving: true },
  );

  return (
    <section class="card" aria-labelledby="wallet-recharge" data-testid="recharge">
      <h2 id="wallet-recharge">{t('wallet.rechargeHeading')}</h2>
      <p class="hint">{t('wallet.rechargeHint')}</p>
      {info?.dev ? <p class="message message--warn">{t('wallet.devProvider')}</p> : null}
      <form onSubmit={submit} noValidate>
        <fieldset class="plain" disabled={busy}>
          <legend class="legend">{t('wallet.amountLegend')}</legend>
          <div class="choices">
            {amounts.map((a) => (
              <label key={a.amount_cents} class="choice">
                <input
                  type="radio"
                  name="recharge-amount"
                  value={a.amount_cents}
                  checked={chosen === a.amount_cents}
                  onChange={() => setChosen(a.amount_cents)}
                />
                <span class="choice__main">{formatYuan(a.amount_cents, lang)}</span>
                <span class="choice__sub">{coinsText(a.coins, t)}</span>
              </label>
            ))}
          </div>
          <button type="submit" class="primary" disabled={!amount}>
            {busy
              ? t('wallet.ordering')
              : amount
                ? t('wallet.recharge', {
                    amount: formatYuan(amount.amount_cents, lang),
                    coins: coinsText(amount.coins, t),
                  })
                : t('wallet.chooseAmount')}
          </button>
        </fieldset>
      </form>
      <ErrorMessage error={error} />
    </section>
  );
}

function History({ lines }: { lines: LedgerLine[] }) {
  const { t } = useI18n();
  return (
    <section class="card" aria-labelledby="wallet-history" data-testid="wallet-history">
      <h2 id="wallet-history">{t('wallet.historyHeading')}</h2>
      {lines.length === 0 ? (
        <p class="empty" data-testid="wallet-history-empty">
          {t('wallet.historyEmpty')}
        </p>
      ) : (
        <>
          <ol class="ledger">
            {lines.map((line) => (
              <LedgerItem key={`${line.transaction_id}-${line.wallet}`} line={line} />
            ))}
          </ol>
          <p class="hint">{t('wallet.historyLimit')}</p>
        </>
      )}
    </section>
  );
}

/** The one line the person most needs, then the data map's own words for each wallet purpose. */
function WhatIsKept() {
  const { t, pick } = useI18n();
  const { policy } = useApp();
  const purposes = (policy?.purposes ?? []).filter((p) => WALLET_PURPOSES.includes(p.id));
  return (
    <section class="card" aria-labelledby="wallet-kept" data-testid="wallet-kept">
      <h2 id="wallet-kept">{t('wallet.keptHeading')}</h2>
      <p data-testid="wallet-provider-receives">{t('wallet.keptProvider')}</p>
      {purposes.length > 0 ? (
        <ul class="points">
          {purposes.map((p) => (
            <li key={p.id}>
              <strong>{pick(p.name)}</strong>: {pick(p.description)}
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={paths.document('third-parties')}>{t('wallet.keptThirdParties')}</a>
      </p>
    </section>
  );
}
