import { useState } from 'preact/hooks';
import type { ConsentGiven } from '../../api/types';
import { useApp } from '../../app/context';
import { navigate } from '../../app/router';
import { CodeSteps } from '../../components/CodeSteps';
import { InputField } from '../../components/InputField';
import { useI18n } from '../../i18n';
import { afterLoginPath } from './afterLogin';

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Phone → code by SMS → code (+ optional birth date) → a session; a new number registers. */
export function CodeLoginForm({ consent }: { consent: ConsentGiven }) {
  const { t } = useI18n();
  const { client, signIn } = useApp();
  const [minutes, setMinutes] = useState(0);
  const [birthDate, setBirthDate] = useState('');

  return (
    <CodeSteps
      phoneField={{ label: t('login.phone'), name: 'phone', autoComplete: 'tel' }}
      sendLabel={t('login.sendCode')}
      send={async (phone) => {
        const answer = await client.sendCode(phone, consent.policy_version);
        setMinutes(Math.max(1, Math.round(answer.expires_in / 60)));
        return answer.resend_after * 1000;
      }}
      sentNotice={(phone) => t('login.codeSent', { phone, minutes })}
      codeField={{ label: t('login.code'), name: 'code', autoComplete: 'one-time-code' }}
      confirmLabel={t('login.verify')}
      confirm={async (phone, code) => {
        const result = await client.verify({
          phone,
          code,
          consent,
          ...(birthDate ? { birth_date: birthDate } : {}),
        });
        signIn(result);
        navigate(afterLoginPath(result.account.status));
      }}
    >
      <InputField
        label={t('login.birthDate')}
        hint={t('login.birthDateHint')}
        name="birth_date"
        type="date"
        max={today()}
        min="1900-01-01"
        value={birthDate}
        onValue={setBirthDate}
      />
    </CodeSteps>
  );
}
