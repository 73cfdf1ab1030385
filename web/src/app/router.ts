// Hash routes (`#/login`), so the server serves one index.html and needs no fallback for paths.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'guardian' }
  | { name: 'profile' }
  | { name: 'consents' }
  | { name: 'realName' }
  | { name: 'studio' }
  | { name: 'staff' }
  | { name: 'notices' }
  | { name: 'rooms' }
  | { name: 'room'; id: string }
  | { name: 'lottery'; id: string }
  | { name: 'clip'; id: string }
  | { name: 'penalties' }
  | { name: 'wallet'; order: string | null }
  | { name: 'checkout'; order: string }
  | { name: 'document'; doc: string }
  | { name: 'myData' }
  | { name: 'notFound' };

export const paths = {
  home: '#/',
  login: '#/login',
  guardian: '#/guardian',
  profile: '#/profile',
  consents: '#/consents',
  myData: '#/privacy/data',
  realName: '#/real-name',
  studio: '#/studio',
  staff: '#/staff',
  notices: '#/notices',
  rooms: '#/rooms',
  room: (id: string) => `#/rooms/${encodeURIComponent(id)}`,
  lottery: (id: string) => `#/lotteries/${encodeURIComponent(id)}`,
  clip: (id: string) => `#/clips/${encodeURIComponent(id)}`,
  penalties: '#/penalties',
  wallet: '#/wallet',
  /** Back from a checkout: the wallet says how the order ended. */
  walletOrder: (order: string) => `#/wallet?order=${encodeURIComponent(order)}`,
  /** The development payment provider's checkout (its pay_url is `/#/wallet/checkout?order=…`). */
  checkout: (order: string) => `#/wallet/checkout?order=${encodeURIComponent(order)}`,
  document: (doc: string) => `#/documents/${doc}`,
} as const;

const ORDER_NO = /^[A-Za-z0-9_-]{1,64}$/;

export function parseRoute(hash: string): Route {
  const [rawPath = '', rawQuery = ''] = hash.replace(/^#/, '').split('?', 2);
  const path = rawPath.replace(/\/+$/, '') || '/';
  const order = new URLSearchParams(rawQuery).get('order');
  const validOrder = order !== null && ORDER_NO.test(order) ? order : null;
  switch (path) {
    case '/':
    case '':
      return { name: 'home' };
    case '/login':
      return { name: 'login' };
    case '/guardian':
      return { name: 'guardian' };
    case '/profile':
      return { name: 'profile' };
    case '/consents':
      return { name: 'consents' };
    case '/privacy/data':
      return { name: 'myData' };
    case '/real-name':
      return { name: 'realName' };
    case '/studio':
      return { name: 'studio' };
    case '/staff':
      return { name: 'staff' };
    case '/notices':
      return { name: 'notices' };
    case '/rooms':
      return { name: 'rooms' };
    case '/penalties':
      return { name: 'penalties' };
    case '/wallet':
      return { name: 'wallet', order: validOrder };
    case '/wallet/checkout':
      return validOrder ? { name: 'checkout', order: validOrder } : { name: 'notFound' };
  }
  const room = /^\/rooms\/([A-Za-z0-9_-]+)$/.exec(path);
  if (room?.[1]) return { name: 'room', id: room[1] };
  const lottery = /^\/lotteries\/([A-Za-z0-9_-]+)$/.exec(path);
  if (lottery?.[1]) return { name: 'lottery', id: lottery[1] };
  const clip = /^\/clips\/([a-f0-9]{1,64})$/.exec(path);
  if (clip?.[1]) return { name: 'clip', id: clip[1] };
  const doc = /^\/documents\/([a-z0-9-]+)$/.exec(path);
  if (doc?.[1]) return { name: 'document', doc: doc[1] };
  return { name: 'notFound' };
}

export function navigate(hash: string): void {
  if (location.hash === hash) return;
  location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
