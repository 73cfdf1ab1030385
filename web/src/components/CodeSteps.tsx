// A person's own login and a guardian's consent go alike: a number, a code sent to it by SMS (with
// a pause before another may be asked for), then the code used. One request runs at a time for both
// steps, and one message explains the last failure.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { DevOutbox } from './DevOutbox';
import { ErrorMessage } from './ErrorMessage';
import { InputField } from './InputField';
import { Notice } from './Notice';
import { normalizePhone, PhoneField } from './PhoneField';
import { useCountdown } from './useCountdown';
import { useRequest } from './useRequest';

/** What differs with whose number it is. */
interface Naming {
  label: string;
  name: string;
  /** Off for someone else's number or code, which the browser should not offer or keep. */
  autoComplete: string;
}

interface CodeStepsProps {
  phoneField: Naming;
  sendLabel: string;
  /** Sends a code to the normalised number; resolves to the pause, in ms, before another. */
  send: (phone: string) => Promise<number>;
  sentNotice: (phone: string) => string;
  codeField: Naming;
  confirmLabel: string;
  /** False until the person has done what `children` ask; the code cannot be used before. */
  ready?: boolean;
  /** Uses the number and code as the server wants them, then leaves the page. */
  confirm: (phone: string, code: string) => Promise<void>;
  /** Above the first step. */
  intro?: ComponentChildren;
  /** More of the second step, between the code and the button. */
  children?: ComponentChildren;
}

export function CodeSteps(props: CodeStepsProps) {
  const { t } = useI18n();
  const { busy, error, run, onSubmit } = useRequest();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [resendAt, setResendAt] = useState<number | null>(null);
  const wait = useCountdown(resendAt);
  const ready = props.ready ?? true;

  const send = onSubmit(async () => {
    const number = normalizePhone(phone);
    const pauseMs = await props.send(number);
    setSentTo(number);
    setResendAt(Date.now() + pauseMs);
  });

  const confirm = (event: Event) => {
    event.preventDefault();
    // Besides the button being off: however the form is submitted, the code waits for `ready`.
    if (!ready) return;
    void run(() => props.confirm(normalizePhone(phone), code.trim()), { leaving: true });
  };

  return (
    <div class="stack">
      {props.intro}
      <form class="card" onSubmit={send} noValidate>
        <PhoneField {...props.phoneField} value={phone} onValue={setPhone} />
        <button type="submit" class={sentTo ? 'secondary' : 'primary'} disabled={busy || wait > 0}>
          {wait > 0
            ? t('login.resendIn', { seconds: wait })
            : sentTo
              ? t('login.resend')
              : props.sendLabel}
        </button>
      </form>

      {sentTo ? (
        <form class="card" onSubmit={confirm} noValidate>
          <Notice>{props.sentNotice(sentTo)}</Notice>
          <InputField
            {...props.codeField}
            // Text with a numeric keypad: type="number" would drop leading zeros.
            type="text"
            inputMode="numeric"
            required
            maxLength={12}
            value={code}
            onValue={setCode}
          />
          {props.children}
          <button type="submit" class="primary" disabled={busy || !ready}>
            {props.confirmLabel}
          </button>
        </form>
      ) : null}

      <ErrorMessage error={error} />
      <DevOutbox phone={sentTo ?? normalizePhone(phone)} />
    </div>
  );
}
