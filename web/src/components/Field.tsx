import type { ComponentChildren, VNode } from 'preact';
import { useId } from 'preact/hooks';
import { useI18n } from '../i18n';

export interface FieldIds {
  id: string;
  /** For aria-describedby: the hint, when there is one. */
  describedBy: string | undefined;
}

interface FieldProps {
  label: string;
  hint?: ComponentChildren;
  /** Shows an "optional" mark beside the label. */
  optional?: boolean;
  children: (ids: FieldIds) => VNode;
}

/** A label, an optional hint and one control, tied together by ids. */
export function Field({ label, hint, optional, children }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>
        {label}
        {optional ? <span class="optional"> ({t('common.optional')})</span> : null}
      </label>
      {children({ id, describedBy: hintId })}
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
