import { paths } from '../../app/router';
import { PageTitle } from '../../components/PageTitle';
import { useI18n } from '../../i18n';

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <article>
      <PageTitle>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.body')}</p>
      <p>
        <a href={paths.home}>{t('notFound.back')}</a>
      </p>
    </article>
  );
}
