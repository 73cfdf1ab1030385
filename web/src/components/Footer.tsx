import type { Route } from '../app/router';
import { paths } from '../app/router';
import { useI18n } from '../i18n';

/** What every page links to but nobody needs in the header: the public penalty notice. */
export function Footer({ route }: { route: Route }) {
  const { t } = useI18n();
  return (
    <footer class="site-footer">
      <nav aria-label={t('footer.label')} class="container">
        <ul>
          <li>
            <a href={paths.penalties} aria-current={route.name === 'penalties' ? 'page' : undefined}>
              {t('footer.penalties')}
            </a>
          </li>
        </ul>
      </nav>
    </footer>
  );
}
