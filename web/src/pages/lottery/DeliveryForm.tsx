// A winner's delivery details (name, mobile number, address), for sending the prize only. The line
// above the form says what they are for and how long they are kept, as the data map's
// `lottery_delivery` purpose does: sealed under the winner's key, read by the room's host to send
// the prize, deleted 30 days after it is sent.
import { useId, useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { Notice } from '../../components/Notice';
import { PhoneField, normalizePhone } from '../../components/PhoneField';
import { useRequest } from '../../components/useRequest';
import { useI18n } from '../../i18n';

// What the server accepts (delivery_invalid otherwise), in characters as a person counts them.
export const DELIVERY_NAME_MAX = 40;
export const DELIVERY_ADDRESS_MAX = 200;

export function DeliveryForm({ lotteryId, prize }: { lotteryId: string; prize: string }) {
  const { t } = useI18n();
  const { client } = useApp();
  const { busy, error, onSubmit } = useRequest();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [address, setAddress] = useState('');
  const [saved, setSaved] = useState(false);
  const headingId = useId();
  const purposeId = useId();

  const submit = onSubmit(async () => {
    setSaved(false);
    await client.submitDelivery(lotteryId, {
      name: name.trim(),
      phone: normalizePhone(phone),
      address: address.trim(),
    });
    setSaved(true);
  });

  return (
    <section class="card delivery" aria-labelledby={headingId} data-testid="delivery-form">
      <h3 id={headingId}>{t('lottery.delivery.heading')}</h3>
      <p id={purposeId} data-testid="delivery-purpose">
        {t('lottery.delivery.purpose', { prize })}{' '}
        <a href={paths.document('privacy-policy')}>{t('lottery.delivery.policy')}</a>
      </p>
      <form onSubmit={submit} noValidate aria-describedby={purposeId}>
        <fieldset class="plain" disabled={busy}>
          <InputField
            label={t('lottery.delivery.name')}
            hint={t('lottery.delivery.nameHint', { max: DELIVERY_NAME_MAX })}
            name="delivery_name"
            type="text"
            autoComplete="name"
            maxLength={DELIVERY_NAME_MAX + 20}
            required
            value={name}
            onValue={setName}
          />
          <PhoneField
            label={t('lottery.delivery.phone')}
            name="delivery_phone"
            autoComplete="tel"
            value={phone}
            onValue={setPhone}
          />
          <Field
            label={t('lottery.delivery.address')}
            hint={t('lottery.delivery.addressHint', { max: DELIVERY_ADDRESS_MAX })}
          >
            {({ id, describedBy }) => (
              <textarea
                id={id}
                name="delivery_address"
                rows={3}
                autoComplete="street-address"
                required
                maxLength={DELIVERY_ADDRESS_MAX + 50}
                aria-describedby={describedBy}
                value={address}
                onInput={(e) => setAddress((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          <button type="submit" class="primary">
            {busy ? t('lottery.delivery.saving') : saved ? t('lottery.delivery.update') : t('lottery.delivery.save')}
          </button>
        </fieldset>
      </form>
      {saved ? <Notice>{t('lottery.delivery.saved')}</Notice> : null}
      <ErrorMessage error={error} />
    </section>
  );
}
