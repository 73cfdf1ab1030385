// A host's earnings (C10, B6): half of each gift's value in their rooms arrives as coins of
// earnings. While one of their rooms is live, the figure and the gifts received are asked for again
// every few seconds; the studio does not join the room's channel, which would count the host as
// one more viewer. Withdrawing needs real-name verification and a face check in the last 10
// minutes: when the server answers `identity_check_required`, the camera step appears, and after
// the check the same withdrawal, with the same request id, is sent again.
import { useEffect, useId, useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { Wallet, Withdrawal } from '../../api/types';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { useActionIds } from '../../components/actionIds';
import { CameraCapture } from '../../components/CameraCapture';
import { describeError, ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { coinsText, formatYuan } from '../wallet/money';
import { LedgerItem } from '../wallet/LedgerItem';

const POLL_MS = 4000;
const GIFTS_SHOWN = 10;

export function StudioEarnings({ verified, live }: { verified: boolean; live: boolean }) {
  const { t } = useI18n();
  const { client } = useApp();
  const wallet = useResource(() => client.wallet(), [client]);
  const { reload } = wallet;

  useEffect(() => {
    if (!live) return undefined;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [live, reload]);
  useEffect(() => {
    window.addEventListener('focus', reload);
    return () => window.removeEventListener('focus', reload);
  }, [reload]);

  return (
    <section class="card earnings" aria-labelledby="studio-earnings" data-testid="studio-earnings">
      <h2 id="studio-earnings">{t('earnings.heading')}</h2>
      <p class="hint">{t('earnings.lead')}</p>
      {!wallet.data ? (
        wallet.error ? (
          <ErrorMessage error={wallet.error} />
        ) : (
          <Loading />
        )
      ) : (
        <>
          <p class="wallet-figure">
            <strong data-testid="earnings-coins">{wallet.data.earnings}</strong> {t('wallet.coinsUnit')}
          </p>
          <GiftsReceived wallet={wallet.data} live={live} />
          <Withdraw wallet={wallet.data} verified={verified} onDone={reload} />
          <Withdrawals list={wallet.data.withdrawals} />
        </>
      )}
    </section>
  );
}

function GiftsReceived({ wallet, live }: { wallet: Wallet; live: boolean }) {
  const { t } = useI18n();
  const received = wallet.lines
    .filter((line) => line.kind === 'gift' && line.wallet === 'earnings')
    .slice(0, GIFTS_SHOWN);
  return (
    <>
      <h3>{t('earnings.giftsHeading')}</h3>
      {received.length === 0 ? (
        <p class="empty">{t(live ? 'earnings.giftsEmptyLive' : 'earnings.giftsEmpty')}</p>
      ) : (
        <ol class="ledger" data-testid="earnings-gifts" aria-live="polite">
          {received.map((line) => (
            <LedgerItem key={line.transaction_id} line={line} />
          ))}
        </ol>
      )}
    </>
  );
}

function Withdraw(props: { wallet: Wallet; verified: boolean; onDone: () => void }) {
  const { wallet, verified, onDone } = props;
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { client } = useApp();
  const { busy, error, setError, onSubmit } = useRequest();
  const ids = useActionIds();
  const min = wallet.min_withdrawal_coins;
  const [coins, setCoins] = useState(String(min));
  const [checked, setChecked] = useState(false);
  // The withdrawal waiting for the face check, and why the server asked for it.
  const [waiting, setWaiting] = useState<{ coins: number; reason: unknown } | null>(null);
  const [photo, setPhoto] = useState<string | null>(null);
  const [done, setDone] = useState<Withdrawal | null>(null);
  const coinsId = useId();
  const hintId = useId();

  const amount = /^\d+$/.test(coins.trim()) ? Number(coins.trim()) : Number.NaN;
  const amountOk = amount >= min && amount <= wallet.earnings;

  const send = async (n: number) => {
    const withdrawal = await client.withdraw(n, ids.idFor(String(n)));
    ids.done();
    setWaiting(null);
    setDone(withdrawal);
    // A fresh form for the next one: the earnings just went down.
    setCoins(String(min));
    setChecked(false);
    onDone();
  };

  const submit = onSubmit(async () => {
    setDone(null);
    setChecked(true);
    if (!amountOk) return;
    try {
      await send(amount);
    } catch (reason) {
      if (isApiError(reason) && reason.code === 'identity_check_required') {
        setWaiting({ coins: amount, reason });
        return;
      }
      throw reason;
    }
  });

  const checkFace = onSubmit(async () => {
    if (!waiting || photo === null) return;
    await client.recheckFace(photo);
    setPhoto(null);
    await send(waiting.coins);
  });

  const cancel = () => {
    setWaiting(null);
    setPhoto(null);
    setError(null);
  };

  if (waiting) {
    return (
      <form class="withdraw-face" onSubmit={checkFace} noValidate data-testid="withdraw-face">
        <h3>{t('earnings.faceHeading')}</h3>
        <p class="message message--warn" role="status">
          {describeError(waiting.reason, i18n)}
        </p>
        <p class="hint">{t('earnings.faceExplain', { coins: coinsText(waiting.coins, t) })}</p>
        {verified ? (
          <>
            {/* The person just asked to withdraw: the camera starts at once, and stops with the photo. */}
            <CameraCapture photo={photo} onPhoto={setPhoto} disabled={busy} autoStart />
            <div class="button-row">
              <button type="submit" class="primary" disabled={busy || photo === null}>
                {busy ? t('earnings.withdrawing') : t('earnings.faceSend')}
              </button>
              <button type="button" class="secondary" disabled={busy} onClick={cancel}>
                {t('earnings.faceCancel')}
              </button>
            </div>
          </>
        ) : (
          <div class="button-row">
            <a class="button" href={paths.realName}>
              {t('studio.toRealName')}
            </a>
            <button type="button" class="secondary" onClick={cancel}>
              {t('earnings.faceCancel')}
            </button>
          </div>
        )}
        <ErrorMessage error={error} />
      </form>
    );
  }

  const problem = checked && !amountOk;
  return (
    <form onSubmit={submit} noValidate data-testid="withdraw">
      <h3>{t('earnings.withdrawHeading')}</h3>
      <fieldset class="plain" disabled={busy}>
        <div class="field">
          <label for={coinsId}>{t('earnings.withdrawCoins')}</label>
          <input
            id={coinsId}
            class="coins-input"
            type="number"
            min={min}
            max={Math.max(min, wallet.earnings)}
            step={1}
            inputMode="numeric"
            value={coins}
            aria-invalid={problem || undefined}
            aria-describedby={hintId}
            onInput={(e) => {
              setCoins((e.target as HTMLInputElement).value);
              setDone(null);
            }}
          />
          <p class={problem ? 'field-problem' : 'hint'} id={hintId} role={problem ? 'alert' : undefined}>
            {wallet.earnings < min
              ? t('earnings.notEnough', { min, count: wallet.earnings })
              : problem
                ? t('earnings.withdrawInvalid', { min, max: wallet.earnings })
                : t('earnings.withdrawHint', { min, max: wallet.earnings })}
          </p>
        </div>
        <button type="submit" class="primary" disabled={wallet.earnings < min}>
          {busy ? t('earnings.withdrawing') : t('earnings.withdraw')}
        </button>
      </fieldset>
      {done ? (
        <Notice>{t('earnings.requested', {
            coins: coinsText(done.coins, t),
            amount: formatYuan(done.amount_cents, lang),
          })}</Notice>
      ) : null}
      <ErrorMessage error={error} />
    </form>
  );
}

function Withdrawals({ list }: { list: Withdrawal[] }) {
  const { t, lang, formatTime } = useI18n();
  return (
    <>
      <h3>{t('earnings.withdrawalsHeading')}</h3>
      {list.length === 0 ? (
        <p class="empty">{t('earnings.withdrawalsEmpty')}</p>
      ) : (
        <ol class="ledger" data-testid="withdrawals">
          {list.map((w) => (
            <li key={w.id} class="ledger__item" data-testid="withdrawal" data-status={w.status}>
              <div class="ledger__what">
                <strong>{t('earnings.withdrawalOf', { coins: coinsText(w.coins, t) })}</strong>
                <span class="ledger__detail">{formatYuan(w.amount_cents, lang)}</span>
                <time class="ledger__time" dateTime={new Date(w.created_at).toISOString()}>
                  {formatTime(w.created_at)}
                </time>
              </div>
              <span class="badge">{w.status === 'requested' ? t('earnings.status.requested') : w.status}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
