// The first thing a new visitor sees: the policy summary, each purpose that needs consent as its
// own unticked checkbox, and two ways on: accept, or browse only (minimal mode, nothing collected).
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiError, Policy, Purpose } from '../../api/client';
import { paths } from '../../app/router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useFocusTrap } from '../../components/useFocusTrap';
import { useI18n } from '../../i18n';
import type { ConsentChoice } from './choice';

/**
 * Purposes the person decides on; the others rest on a contract or the law and are only listed in
 * the policy, and a child's separate consent is the guardian's to give (the guardian page asks it).
 */
export function consentPurposes(policy: Policy): Purpose[] {
  return policy.purposes.filter(
    (p) => (p.basis === 'consent' || p.basis === 'separate_consent') && p.given_by !== 'guardian',
  );
}

interface ConsentDialogProps {
  policy: Policy | null;
  policyError: ApiError | null;
  /** The previous choice, when the person reopens the dialog to review it. */
  previous: ConsentChoice | null;
  onAccept: (purposes: string[]) => void;
  onBrowse: () => void;
  /** Closing without choosing again; absent on a first visit, where a choice must be made. */
  onDismiss?: () => void;
  /** The person follows the link to the full policy: the dialog steps aside for the page. */
  onReadPolicy: () => void;
}

export function ConsentDialog(props: ConsentDialogProps) {
  const { policy, policyError, previous, onAccept, onBrowse, onDismiss, onReadPolicy } = props;
  const { t, pick } = useI18n();
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  const introId = useId();
  const acceptHintId = useId();

  const purposes = useMemo(() => (policy ? consentPurposes(policy) : []), [policy]);
  const [ticked, setTicked] = useState<Set<string>>(() => new Set());

  // Start from the earlier acceptance when reviewing it; never tick anything for the person.
  useEffect(() => {
    if (previous?.mode === 'accepted') {
      const known = new Set(purposes.map((p) => p.id));
      setTicked(new Set(previous.purposes.filter((id) => known.has(id))));
    } else {
      setTicked(new Set());
    }
  }, [previous, purposes]);

  useFocusTrap(dialogRef, true, titleRef, onDismiss);

  const required = purposes.filter((p) => p.necessary);
  const canAccept = policy !== null && required.every((p) => ticked.has(p.id));

  const toggle = (id: string, on: boolean) => {
    setTicked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  return (
    <div class="dialog-backdrop">
      <div
        ref={dialogRef}
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={introId}
        data-testid="consent-dialog"
      >
        <div class="dialog__head">
          <h2 id={titleId} ref={titleRef} tabIndex={-1}>
            {t('consent.title')}
          </h2>
          {onDismiss ? (
            <button
              type="button"
              class="icon-button"
              onClick={onDismiss}
              aria-label={t('common.close')}
            >
              <span aria-hidden="true">×</span>
            </button>
          ) : null}
        </div>
        <div class="dialog__body">
          <p id={introId}>{t('consent.intro')}</p>
          {policyError ? <ErrorMessage error={policyError} /> : null}
          {policyError ? <p>{t('consent.loadFailed')}</p> : null}
          {!policy && !policyError ? <Loading /> : null}
          {policy ? (
            <>
              <section class="dialog__summary">
                <h3>{t('consent.summaryHeading')}</h3>
                {pick(policy.summary)
                  .split(/\n{2,}/)
                  .map((paragraph, index) => (
                    <p key={index}>{paragraph}</p>
                  ))}
                <p class="dialog__meta">
                  <span>{t('consent.version', { version: policy.version })}</span>
                  <a href={paths.document('privacy-policy')} onClick={onReadPolicy}>
                    {t('consent.fullPolicy')}
                  </a>
                </p>
              </section>
              <fieldset class="purposes">
                <legend>{t('consent.purposesHeading')}</legend>
                <p class="hint">{t('consent.purposesHelp')}</p>
                {purposes.length === 0 ? <p class="empty">{t('consent.noPurposes')}</p> : null}
                {purposes.map((purpose) => (
                  <PurposeChoice
                    key={purpose.id}
                    purpose={purpose}
                    checked={ticked.has(purpose.id)}
                    onChange={(on) => toggle(purpose.id, on)}
                  />
                ))}
              </fieldset>
            </>
          ) : null}
        </div>
        <div class="dialog__actions">
          {!canAccept && policy ? (
            <p class="hint" id={acceptHintId}>
              {t('consent.acceptHint')}
            </p>
          ) : null}
          <div class="button-row">
            <button
              type="button"
              class="primary"
              disabled={!canAccept}
              aria-describedby={!canAccept && policy ? acceptHintId : undefined}
              onClick={() =>
                onAccept(purposes.filter((p) => ticked.has(p.id)).map((p) => p.id))
              }
            >
              {t('consent.accept')}
            </button>
            <button type="button" class="secondary" onClick={onBrowse}>
              {t('consent.browse')}
            </button>
          </div>
          <p class="hint">{t('consent.browseHint')}</p>
        </div>
      </div>
    </div>
  );
}

function PurposeChoice(props: { purpose: Purpose; checked: boolean; onChange: (on: boolean) => void }) {
  const { purpose, checked, onChange } = props;
  const { t, pick } = useI18n();
  const id = useId();
  const descriptionId = `${id}-desc`;
  return (
    <div class={`purpose${purpose.necessary ? ' purpose--needed' : ''}`}>
      <input
        type="checkbox"
        id={id}
        name="purpose"
        value={purpose.id}
        checked={checked}
        aria-describedby={descriptionId}
        onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
      />
      <div class="purpose__text">
        <label for={id}>{pick(purpose.name)}</label>
        <div id={descriptionId}>
          <span class={`badge${purpose.necessary ? ' badge--needed' : ''}`}>
            {purpose.necessary ? t('consent.neededToRegister') : t('consent.optionalPurpose')}
          </span>
          {purpose.basis === 'separate_consent' && purpose.separate.length > 0 ? (
            <span class="badge badge--separate">
              {t('consent.separateNotice')}{' '}
              {purpose.separate.map((kind) => t(`consent.separate.${kind}`)).join(' · ')}
            </span>
          ) : null}
          <p class="purpose__desc">{pick(purpose.description)}</p>
        </div>
      </div>
    </div>
  );
}
