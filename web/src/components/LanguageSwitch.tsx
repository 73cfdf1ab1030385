import { useId } from 'preact/hooks';
import { LANGS } from '../api/types';
import { isLang, useI18n } from '../i18n';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  const id = useId();
  return (
    <div class="lang-switch">
      <label for={id}>{t('lang.label')}</label>
      <select
        id={id}
        value={lang}
        onChange={(event) => {
          const value = (event.target as HTMLSelectElement).value;
          if (isLang(value)) setLang(value);
        }}
      >
        {LANGS.map((option) => (
          <option key={option} value={option} lang={option}>
            {t(`lang.${option}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
