import { useApp } from '../../app/context';
import { paths } from '../../app/router';
import { DocumentLinks } from '../../components/DocumentLinks';
import { PageTitle } from '../../components/PageTitle';
import { useI18n } from '../../i18n';

export function HomePage() {
  const { t } = useI18n();
  const { token } = useApp();
  return (
    <article class="home">
      <PageTitle>{t('home.title')}</PageTitle>
      <p class="lead">{t('home.lead')}</p>
      <ul class="points">
        <li>{t('home.point.browse')}</li>
        <li>{t('home.point.declared')}</li>
        <li>{t('home.point.rights')}</li>
      </ul>
      <p class="button-row">
        <a class="button" href={paths.rooms}>
          {t('home.ctaRooms')}
        </a>
        {token ? (
          <a class="button" href={paths.profile}>
            {t('home.ctaProfile')}
          </a>
        ) : (
          <a class="button" href={paths.login}>
            {t('home.ctaLogin')}
          </a>
        )}
      </p>
      <section aria-labelledby="home-documents">
        <h2 id="home-documents">{t('home.documentsHeading')}</h2>
        <DocumentLinks />
      </section>
    </article>
  );
}
