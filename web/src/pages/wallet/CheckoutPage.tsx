// The development payment provider's checkout (its pay_url, `/#/wallet/checkout?order=…`, opens here
// as `#/wallet/checkout?order=…`). It says plainly that no money moves. Pay or Cancel asks the
// development provider for the callback it would send (POST /dev/payments/{order}/callback), posts
// that signed body unchanged to /payments/callback as a real provider would, and returns to the
// wallet, which shows how the order ended.
import type { RechargeOrder } from '../../api/types';
import { useApp } from '../../app/context';
import { navigate, paths } from '../../app/router';
import { AccountPage, useDropEndedSession } from '../../components/AccountPage';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { coinsText, formatYuan } from './money';

export function CheckoutPage({ order }: { order: string }) {
  const { t } = useI18n();
  return (
    <AccountPage name="checkout" title={t('checkout.title')}>
      <Checkout order={order} />
    </AccountPage>
  );
}

function Checkout({ order }: { order: string }) {
  const { t, lang } = useI18n();
  const { client } = useApp();
  const loaded = useResource(() => client.rechargeOrder(order), [client, order]);
  useDropEndedSession(loaded.error);

  return (
    <div class="stack">
      <div class="dev-outbox" data-testid="dev-provider">
        <h2>{t('checkout.devHeading')}</h2>
        <p>{t('checkout.devExplain')}</p>
      </div>
      {loaded.error ? (
        <ErrorMessage error={loaded.error} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <section class="card" aria-labelledby="checkout-order" data-testid="checkout">
          <h2 id="checkout-order">{t('checkout.orderHeading')}</h2>
          <dl class="facts">
            <div>
              <dt>{t('checkout.orderNo')}</dt>
              <dd data-testid="checkout-order">{loaded.data.order_no}</dd>
            </div>
            <div>
              <dt>{t('checkout.amount')}</dt>
              <dd data-testid="checkout-amount">{formatYuan(loaded.data.amount_cents, lang)}</dd>
            </div>
            <div>
              <dt>{t('checkout.coins')}</dt>
              <dd>{coinsText(loaded.data.coins, t)}</dd>
            </div>
          </dl>
          <Decide order={loaded.data} />
        </section>
      )}
      <p>
        <a href={paths.wallet}>{t('checkout.backToWallet')}</a>
      </p>
    </div>
  );
}

function Decide({ order }: { order: RechargeOrder }) {
  const { t, lang } = useI18n();
  const { client, info } = useApp();
  const { busy, error, run } = useRequest();

  const finish = (paid: boolean) =>
    run(
      async () => {
        // The provider's answer, signed by it; its body is posted byte for byte, or the signature fails.
        const signed = await client.devPaymentCallback(order.order_no, paid);
        await client.paymentCallback(signed);
        navigate(paths.walletOrder(order.order_no));
      },
      { leaving: true },
    );

  if (order.status !== 'pending') {
    return (
      <p class="message message--warn" data-testid="checkout-settled">
        {t(order.status === 'paid' ? 'checkout.alreadyPaid' : 'checkout.alreadyFailed')}{' '}
        <a href={paths.walletOrder(order.order_no)}>{t('checkout.backToWallet')}</a>
      </p>
    );
  }
  // Only a development server has this provider; elsewhere the provider's own page takes payment.
  if (info && !info.dev) {
    return <p class="message message--warn">{t('checkout.notDev')}</p>;
  }
  return (
    <>
      <div class="button-row">
        <button type="button" class="primary" disabled={busy} onClick={() => void finish(true)}>
          {t('checkout.pay', { amount: formatYuan(order.amount_cents, lang) })}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void finish(false)}>
          {t('checkout.cancel')}
        </button>
      </div>
      <p class="hint">{t('checkout.cancelHint')}</p>
      {busy ? (
        <p class="loading" role="status">
          {t('checkout.working')}
        </p>
      ) : null}
      <ErrorMessage error={error} />
    </>
  );
}
