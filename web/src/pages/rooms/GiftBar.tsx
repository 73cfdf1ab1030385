// Sending a gift (C9), for a signed-in viewer who is not the host: the gifts with their prices, a
// quantity, the total, and the person's coins with the way to get more. One send is one action with
// one request id, so a double click or a retry after a network failure never pays twice. Every
// refusal (a minor, too few coins, the room ended) is the server's message in the person's language.
import { useEffect, useId, useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { useActionIds } from '../../components/actionIds';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { Notice } from '../../components/Notice';
import { useRequest } from '../../components/useRequest';
import { useResource } from '../../components/useResource';
import { useI18n } from '../../i18n';
import { GiftIcon } from '../wallet/GiftIcon';
import { giftName } from '../wallet/gifts';
import { coinsText } from '../wallet/money';

export function GiftBar({ roomId }: { roomId: string }) {
  const { t } = useI18n();
  const { client } = useApp();
  const catalogue = useResource(() => client.gifts(), [client]);
  const wallet = useResource(() => client.wallet(), [client]);
  const { busy, error, setError, run } = useRequest();
  const ids = useActionIds();
  const [balance, setBalance] = useState<number | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [invalid, setInvalid] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const headingId = useId();
  const nameId = useId();
  const quantityId = useId();
  const quantityHintId = useId();

  useEffect(() => {
    if (wallet.data) setBalance(wallet.data.coins);
  }, [wallet.data]);
  // Coins bought in another tab show when the person comes back to this one.
  const { reload } = wallet;
  useEffect(() => {
    window.addEventListener('focus', reload);
    return () => window.removeEventListener('focus', reload);
  }, [reload]);

  const gifts = catalogue.data?.gifts ?? [];
  const max = catalogue.data?.max_quantity ?? 99;
  const gift = gifts.find((g) => g.id === chosen) ?? gifts[0] ?? null;
  const count = /^\d+$/.test(quantity.trim()) ? Number(quantity.trim()) : Number.NaN;
  const countOk = count >= 1 && count <= max;
  const total = gift && countOk ? gift.price * count : null;

  const change = (next: () => void) => {
    next();
    setSent(null);
    setError(null);
  };

  // The controls stay enabled while a gift is on its way, so keyboard focus stays on Send for the
  // next one; a press meanwhile is ignored (and would carry the same request id anyway).
  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    void run(async () => {
      setSent(null);
      if (!gift || !countOk) {
        setInvalid(true);
        return;
      }
      setInvalid(false);
      const answer = await client.sendGift(roomId, gift.id, count, ids.idFor(`${gift.id}×${count}`));
      ids.done();
      setBalance(answer.balance);
      setSent(t('gifts.sent', { quantity: count, gift: giftName(gift.id, t), coins: coinsText(answer.gift.coins, t) }));
    });
  };

  return (
    <section class="card gift-bar" aria-labelledby={headingId} data-testid="gift-bar">
      <h2 id={headingId}>{t('gifts.heading')}</h2>
      <p class="gift-bar__balance">
        {t('gifts.balance')}{' '}
        <strong data-testid="gift-balance" aria-live="polite">
          {balance ?? '…'}
        </strong>{' '}
        {t('wallet.coinsUnit')} · <a href={paths.wallet}>{t('gifts.recharge')}</a>
      </p>
      {catalogue.error ? (
        <ErrorMessage error={catalogue.error} />
      ) : !catalogue.data ? (
        <Loading />
      ) : (
        <form onSubmit={submit} noValidate>
          <fieldset class="plain">
            <legend class="legend">{t('gifts.choose')}</legend>
            <div class="choices">
              {gifts.map((g) => (
                <label key={g.id} class="choice">
                  <input
                    type="radio"
                    name={nameId}
                    value={g.id}
                    checked={gift?.id === g.id}
                    onChange={() => change(() => setChosen(g.id))}
                  />
                  <span class="choice__main">
                    <span class="choice__picture">
                      <GiftIcon gift={g.id} />
                    </span>{' '}
                    {giftName(g.id, t)}
                  </span>
                  <span class="choice__sub">{coinsText(g.price, t)}</span>
                </label>
              ))}
            </div>
            <div class="gift-bar__send">
              <div class="field gift-bar__quantity">
                <label for={quantityId}>{t('gifts.quantity')}</label>
                <input
                  id={quantityId}
                  type="number"
                  min={1}
                  max={max}
                  step={1}
                  inputMode="numeric"
                  value={quantity}
                  aria-invalid={(invalid && !countOk) || undefined}
                  aria-describedby={quantityHintId}
                  onInput={(e) => change(() => setQuantity((e.target as HTMLInputElement).value))}
                />
              </div>
              <button type="submit" class="primary" aria-disabled={busy || undefined}>
                {busy ? t('gifts.sending') : total !== null ? t('gifts.send', { coins: coinsText(total, t) }) : t('gifts.sendPlain')}
              </button>
            </div>
            <p
              class={invalid && !countOk ? 'message message--error' : 'hint'}
              id={quantityHintId}
              role={invalid && !countOk ? 'alert' : undefined}
            >
              {invalid && !countOk ? t('gifts.quantityInvalid', { max }) : t('gifts.quantityHint', { max })}
            </p>
          </fieldset>
        </form>
      )}
      <Notice>{sent}</Notice>
      <ErrorMessage error={error} />
      {isApiError(error) && error.code === 'insufficient_balance' ? (
        <p>
          <a class="button" href={paths.wallet}>
            {t('gifts.recharge')}
          </a>
        </p>
      ) : null}
      <p class="hint">{t('gifts.shownTo')}</p>
    </section>
  );
}
