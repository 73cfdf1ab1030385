import { useEffect, useRef, useState } from 'preact/hooks';
import { isApiError } from '../../api/client';
import type { Gender, Me, ProfilePatch } from '../../api/types';
import { GENDERS } from '../../api/types';
import { useApp } from '../../app/context';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { InputField } from '../../components/InputField';
import { Notice } from '../../components/Notice';
import { useI18n } from '../../i18n';

/** The purpose whose consent the profile fields need (datamap: purpose "profile"). */
const PROFILE_PURPOSE = 'profile';

type TextKey = 'nickname' | 'hometown' | 'industry' | 'intro';
interface FormValues {
  nickname: string;
  gender: Gender | '';
  hometown: string;
  industry: string;
  intro: string;
}

function valuesOf(me: Me): FormValues {
  return {
    nickname: me.profile.nickname ?? '',
    gender: me.profile.gender ?? '',
    hometown: me.profile.hometown ?? '',
    industry: me.profile.industry ?? '',
    intro: me.profile.intro ?? '',
  };
}

/** Only what changed travels; a field emptied by the person is cleared (`null`). */
function changes(before: FormValues, after: FormValues): ProfilePatch {
  const patch: ProfilePatch = {};
  for (const key of ['nickname', 'hometown', 'industry', 'intro'] as TextKey[]) {
    const next = after[key].trim();
    if (next !== before[key]) patch[key] = next === '' ? null : next;
  }
  if (after.gender !== before.gender) patch.gender = after.gender === '' ? null : after.gender;
  return patch;
}

type Outcome = 'saved' | 'unchanged' | null;

export function ProfileForm({ me, disabled }: { me: Me; disabled: boolean }) {
  const { t, pick } = useI18n();
  const { client, setMe, policy } = useApp();
  const [values, setValues] = useState<FormValues>(() => valuesOf(me));
  const [saved, setSaved] = useState<FormValues>(() => valuesOf(me));
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [needsConsent, setNeedsConsent] = useState(false);
  const [busy, setBusy] = useState(false);

  // A new answer from the server (a save, a fresh load) becomes the baseline; a field the person
  // is editing keeps what they typed.
  const savedRef = useRef(saved);
  useEffect(() => {
    const before = savedRef.current;
    const fromServer = valuesOf(me);
    savedRef.current = fromServer;
    setSaved(fromServer);
    setValues((current) => {
      const next = { ...current };
      for (const key of Object.keys(fromServer) as (keyof FormValues)[]) {
        if (current[key] === before[key]) (next as Record<string, string>)[key] = fromServer[key];
      }
      return next;
    });
  }, [me.profile]);

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setOutcome(null);
  };

  const save = async (grantFirst: boolean) => {
    const patch = changes(saved, values);
    setError(null);
    setOutcome(null);
    if (Object.keys(patch).length === 0) {
      setOutcome('unchanged');
      return;
    }
    setBusy(true);
    try {
      if (grantFirst) await client.changeConsents({ grant: [PROFILE_PURPOSE] });
      const updated = await client.updateProfile(patch);
      setNeedsConsent(false);
      setMe(updated);
      setOutcome('saved');
    } catch (reason) {
      if (isApiError(reason) && reason.code === 'consent_required') setNeedsConsent(true);
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const purposeName = (() => {
    const purpose = policy?.purposes.find((p) => p.id === PROFILE_PURPOSE);
    return purpose ? pick(purpose.name) : PROFILE_PURPOSE;
  })();

  const text = (key: TextKey, maxLength: number) => (
    <InputField
      label={t(`profile.${key}`)}
      optional
      name={key}
      type="text"
      maxLength={maxLength}
      value={values[key]}
      onValue={(value) => set(key, value)}
    />
  );

  return (
    <section class="card" aria-labelledby="details-heading">
      <h2 id="details-heading">{t('profile.detailsHeading')}</h2>
      <p class="hint">{t('profile.detailsHelp')}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save(false);
        }}
        noValidate
      >
        <fieldset disabled={disabled} class="plain">
          {text('nickname', 64)}
          <Field label={t('profile.gender')} optional>
            {({ id }) => (
              <select
                id={id}
                name="gender"
                value={values.gender}
                onChange={(e) => set('gender', (e.target as HTMLSelectElement).value as Gender | '')}
              >
                <option value="">{t('gender.unset')}</option>
                {GENDERS.map((gender) => (
                  <option key={gender} value={gender}>
                    {t(`gender.${gender}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('hometown', 64)}
          {text('industry', 64)}
          <Field label={t('profile.intro')} optional>
            {({ id }) => (
              <textarea
                id={id}
                name="intro"
                rows={4}
                maxLength={500}
                value={values.intro}
                onInput={(e) => set('intro', (e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            {t('profile.save')}
          </button>
        </fieldset>
      </form>
      {needsConsent ? (
        <div class="message message--warn" data-testid="profile-consent-needed">
          <p>{t('profile.consentNeeded', { purpose: purposeName })}</p>
          <button type="button" class="primary" disabled={busy} onClick={() => void save(true)}>
            {t('profile.grantConsent')}
          </button>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      {outcome === 'saved' ? <Notice>{t('profile.saved')}</Notice> : null}
      {outcome === 'unchanged' ? <Notice>{t('profile.noChanges')}</Notice> : null}
    </section>
  );
}
