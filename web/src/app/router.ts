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
  | { name: 'penalties' }
  | { name: 'document'; doc: string }
  | { name: 'notFound' };

export const paths = {
  home: '#/',
  login: '#/login',
  guardian: '#/guardian',
  profile: '#/profile',
  consents: '#/consents',
  realName: '#/real-name',
  studio: '#/studio',
  staff: '#/staff',
  notices: '#/notices',
  rooms: '#/rooms',
  room: (id: string) => `#/rooms/${encodeURIComponent(id)}`,
  lottery: (id: string) => `#/lotteries/${encodeURIComponent(id)}`,
  penalties: '#/penalties',
  document: (doc: string) => `#/documents/${doc}`,
} as const;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/\/+$/, '') || '/';
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
  }
  const room = /^\/rooms\/([A-Za-z0-9_-]+)$/.exec(path);
  if (room?.[1]) return { name: 'room', id: room[1] };
  const lottery = /^\/lotteries\/([A-Za-z0-9_-]+)$/.exec(path);
  if (lottery?.[1]) return { name: 'lottery', id: lottery[1] };
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
