// One request id per thing a person does (docs/api.md: recharges, gifts and withdrawals carry a
// `request_id`). Trying the same action again — a double click, a retry after the network failed,
// a withdrawal resent after the face check — sends the same id, so the server answers with the
// first result and nothing is charged twice. A changed action, or the next one after a success,
// gets a new id.
import { useMemo, useRef } from 'preact/hooks';

export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts, and a self-hosted server on a LAN may be plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ActionIds {
  /** The id of the action `key` describes (what is sent, e.g. `heart×2`): the same while it is retried. */
  idFor: (key: string) => string;
  /** The action succeeded: the next one is a new action with a new id. */
  done: () => void;
}

export function useActionIds(): ActionIds {
  const current = useRef<{ key: string; id: string } | null>(null);
  return useMemo(
    () => ({
      idFor: (key: string) => {
        if (current.current?.key !== key) current.current = { key, id: newRequestId() };
        return current.current.id;
      },
      done: () => {
        current.current = null;
      },
    }),
    [],
  );
}
