// What every page may need: the API client, what the server told us about itself, the visitor's
// privacy choice and the session. Provided once by App.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiError, Info, LoginResult, Me, Policy, VeilClient } from '../api/client';
import type { ConsentChoice } from '../pages/consent/choice';

export interface AppState {
  client: VeilClient;
  info: Info | null;
  policy: Policy | null;
  policyError: ApiError | null;
  /** The stored choice if it is still valid for the current policy; null means not chosen yet. */
  choice: ConsentChoice | null;
  openChoices: () => void;
  token: string | null;
  me: Me | null;
  /** True until the stored session has been checked with the server. */
  restoring: boolean;
  signIn: (result: LoginResult) => void;
  setMe: (me: Me) => void;
  signOut: () => Promise<void>;
  /** Forget a session the server no longer knows. */
  dropSession: () => void;
  /** How many of the person's notices are unread; null without a session or before the answer. */
  unread: number | null;
  /** A page that read the notices itself passes on the count it got. */
  setUnread: (count: number) => void;
  /** Ask the server again (it is asked on every page change too). */
  refreshUnread: () => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside <App>');
  return state;
}
