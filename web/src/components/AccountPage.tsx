import type { ComponentChildren, VNode } from 'preact';
import { useEffect } from 'preact/hooks';
import { isApiError } from '../api/client';
import type { Me } from '../api/types';
import { useApp } from '../app/context';
import { ErrorMessage } from './ErrorMessage';
import { Loading } from './Loading';
import { LoginRequired } from './LoginRequired';
import { PageTitle } from './PageTitle';
import { useResource } from './useResource';

interface AccountPageProps {
  /** The article's class. */
  name: string;
  title: string;
  /** Shown to a visitor without a session too, so they know what logging in leads to. */
  lead?: string;
  children: ComponentChildren;
}

/** A page about the person's own account: a visitor without a session is offered the login. */
export function AccountPage({ name, title, lead, children }: AccountPageProps) {
  const { token } = useApp();
  return (
    <article class={name}>
      <PageTitle>{title}</PageTitle>
      {lead ? <p class="lead">{lead}</p> : null}
      {token ? children : <LoginRequired />}
    </article>
  );
}

/** A 401 means the session ended elsewhere (logged out, expired): forget it here too. */
export function useDropEndedSession(error: unknown): void {
  const { dropSession } = useApp();
  useEffect(() => {
    if (isApiError(error) && error.status === 401) dropSession();
  }, [error, dropSession]);
}

/** Renders `children` with the account as the server has it now. */
export function FreshAccount({ children }: { children: (me: Me) => VNode }) {
  const { client, me, setMe } = useApp();
  // Always ask afresh: another tab may have changed the account.
  const fresh = useResource(() => client.me(), [client]);
  useEffect(() => {
    if (fresh.data) setMe(fresh.data);
  }, [fresh.data, setMe]);
  useDropEndedSession(fresh.error);

  if (!me) return fresh.error ? <ErrorMessage error={fresh.error} /> : <Loading />;
  return children(me);
}
