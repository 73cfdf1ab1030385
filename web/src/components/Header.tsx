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
}

export function Header({ route }: { route: Route }) {
  const { t } = useI18n();
  const { token } = useApp();
  const items: NavItem[] = [{ href: paths.home, label: 'nav.home', current: route.name === 'home' }];
  if (token) {
    items.push(
      { href: paths.profile, label: 'nav.profile', current: route.name === 'profile' },
      { href: paths.consents, label: 'nav.consents', current: route.name === 'consents' },
    );
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
      <div class="site-header__inner">
        <a class="brand" href={paths.home}>
          {t('app.name')}
        </a>
        <nav aria-label={t('nav.label')}>
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={item.current ? 'page' : undefined}>
                  {t(item.label)}
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
