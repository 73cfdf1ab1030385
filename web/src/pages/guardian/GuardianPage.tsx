// Under 14 (PRODUCT I1): the account waits until a guardian verifies their own number and consents.
import { useId, useState } from 'preact/hooks';
import { useApp } from '../../app/context';
import { navigate, paths } from '../../app/router';
import { AccountPage, FreshAccount } from '../../components/AccountPage';
import { CodeSteps } from '../../components/CodeSteps';
import { NextStep } from '../../components/NextStep';
import { useI18n } from '../../i18n';

// The server does not say when the guardian may ask again; the same pause as for a login code.
const RESEND_PAUSE_MS = 60_000;

export function GuardianPage() {
  const { t } = useI18n();
  return (
    <AccountPage name="guardian" title={t('guardian.title')}>
      {/* Only a child still waiting gets the form. */}
      <FreshAccount>
        {(me) =>
          me.status === 'awaiting_guardian' ? (
            <GuardianForm />
          ) : (
            <NextStep
              message={t('guardian.alreadyActive')}
              href={paths.profile}
              action={t('guardian.toProfile')}
            />
          )
        }
      </FreshAccount>
    </AccountPage>
  );
}

function GuardianForm() {
  const { t } = useI18n();
  const { client, setMe } = useApp();
  const agreeId = useId();
  const [agree, setAgree] = useState(false);

  return (
    <CodeSteps
      intro={
        <>
          <p class="lead">{t('guardian.lead')}</p>
          <p>{t('guardian.how')}</p>
        </>
      }
      phoneField={{ label: t('guardian.phone'), name: 'guardian_phone', autoComplete: 'off' }}
      sendLabel={t('guardian.sendCode')}
      send={async (phone) => {
        await client.guardianCode(phone);
        return RESEND_PAUSE_MS;
      }}
      sentNotice={(phone) => t('guardian.codeSent', { phone })}
      codeField={{ label: t('guardian.code'), name: 'guardian_code', autoComplete: 'off' }}
      confirmLabel={t('guardian.submit')}
      ready={agree}
      confirm={async (phone, code) => {
        setMe(await client.guardianConsent(phone, code));
        navigate(paths.profile);
      }}
    >
      <div class="check">
        <input
          type="checkbox"
          id={agreeId}
          checked={agree}
          onChange={(e) => setAgree((e.target as HTMLInputElement).checked)}
        />
        <label for={agreeId}>{t('guardian.agree')}</label>
      </div>
    </CodeSteps>
  );
}
