// One request at a time per form: its controls stay disabled while it runs, and a failure is kept
// for <ErrorMessage>. Forms that show several steps share one, so one message explains the last try.
import { useState } from 'preact/hooks';

export interface RunOptions {
  /**
   * The work ends by leaving the page: stay busy after it succeeds, so nothing can be sent twice
   * before the new page replaces this one.
   */
  leaving?: boolean;
}

export interface FormRequest {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  /** Resolves once `work` has finished or failed; it never rejects. */
  run: (work: () => Promise<void>, options?: RunOptions) => Promise<void>;
  /** A submit handler that runs `work` instead of letting the browser submit the form. */
  onSubmit: (work: () => Promise<void>, options?: RunOptions) => (event: Event) => void;
}

export function useRequest(): FormRequest {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (work: () => Promise<void>, { leaving = false }: RunOptions = {}) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      if (!leaving) setBusy(false);
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  };

  const onSubmit = (work: () => Promise<void>, options?: RunOptions) => (event: Event) => {
    event.preventDefault();
    void run(work, options);
  };

  return { busy, error, setError, run, onSubmit };
}
