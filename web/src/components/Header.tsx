import { useApp } from '../app/context';
import type { Route } from '../app/router';
import { paths } from '../app/router';
import type { MessageKey } from '../i18n';
import { useI18n } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

interface NavItem {
  href: string;
  label: MessageKey;
  current: boolean;
  /** Unread notices, shown beside the label when there are any. */
  count?: number;
}

export function Header({ route }: { route: Route }) {
  const { t } = useI18n();
  const { token, me, unread } = useApp();
  const items: NavItem[] = [
    { href: paths.home, label: 'nav.home', current: route.name === 'home' },
    { href: paths.rooms, label: 'nav.rooms', current: route.name === 'rooms' || route.name === 'room' },
  ];
  if (token) {
    items.push(
      { href: paths.profile, label: 'nav.profile', current: route.name === 'profile' },
      {
        href: paths.notices,
        label: 'nav.notices',
        current: route.name === 'notices',
        count: unread ?? 0,
      },
      { href: paths.wallet, label: 'nav.wallet', current: route.name === 'wallet' || route.name === 'checkout' },
      { href: paths.studio, label: 'nav.studio', current: route.name === 'studio' },
      { href: paths.realName, label: 'nav.realName', current: route.name === 'realName' },
      { href: paths.consents, label: 'nav.consents', current: route.name === 'consents' },
    );
    // Only staff see the review queue; the server refuses everyone else anyway (staff_only).
    if (me?.roles.includes('staff')) {
      items.push({ href: paths.staff, label: 'nav.staff', current: route.name === 'staff' });
    }
  } else {
    items.push({ href: paths.login, label: 'nav.login', current: route.name === 'login' });
  }

  const skipToContent = (event: Event) => {
    event.preventDefault();
    document.getElementById('page-title')?.focus();
  };

  return (
    <header class="site-header">
      <a class="skip-link" href="#/" onClick={skipToContent}>
        {t('a11y.skipToContent')}
      </a>
      {/* Signed in, the navigation has its own row so it can wrap without pushing the rest. */}
      <div class={`site-header__inner${token ? ' site-header__inner--member' : ''}`}>
        <a class="brand" href={paths.home}>
          {t('app.name')}
        </a>
        <nav aria-label={t('nav.label')}>
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                  {t(item.label)}
                  {item.count ? ' ' : null}
                  {item.count ? (
                    <span class="nav-count" data-testid="unread-count">
                      <span aria-hidden="true">{item.count > 99 ? '99+' : item.count}</span>
                      <span class="visually-hidden">{t('nav.unread', { count: item.count })}</span>
                    </span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <LanguageSwitch />
      </div>
    </header>
  );
}
