import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { Field } from './Field';

type InputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'value' | 'onInput' | 'aria-describedby' | 'label'
>;

export interface InputFieldProps extends InputProps {
  label: string;
  hint?: ComponentChildren;
  optional?: boolean;
  value: string;
  onValue: (value: string) => void;
}

/** A <Field> holding one <input>; every other prop is the input's own. */
export function InputField({ label, hint, optional, onValue, ...input }: InputFieldProps) {
  return (
    <Field label={label} hint={hint} optional={optional}>
      {({ id, describedBy }) => (
        <input
          {...input}
          id={id}
          aria-describedby={describedBy}
          onInput={(e) => onValue((e.target as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}
