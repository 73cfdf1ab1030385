import { useI18n } from '../i18n';
import { InputField } from './InputField';

/** What a person may type around the digits of a number (spaces, dashes) is not part of it. */
export function normalizePhone(input: string): string {
  return input.replace(/[\s\-()]/g, '');
}

interface PhoneFieldProps {
  label: string;
  name: string;
  /** "tel" for the person's own number; "off" for someone else's, which the browser should not offer. */
  autoComplete: string;
  value: string;
  onValue: (value: string) => void;
}

/** A mobile number, as typed; read it with normalizePhone. */
export function PhoneField(props: PhoneFieldProps) {
  const { t } = useI18n();
  return (
    <InputField
      {...props}
      hint={t('login.phoneHint')}
      type="tel"
      inputMode="tel"
      required
      maxLength={20}
    />
  );
}
