import type { ConsentChoice } from './choice';
import { useI18n } from '../../i18n';

/**
 * Minimal mode says so on every page, with a way back to the choices. A visitor who has not chosen
 * yet (they stepped out of the dialog to read the policy) gets the same way back.
 */
export function ChoiceBanner(props: { choice: ConsentChoice | null; onReview: () => void }) {
  const { t } = useI18n();
  const { choice, onReview } = props;
  if (choice?.mode === 'accepted') return null;
  const browsing = choice?.mode === 'browse';
  return (
    <div class="banner" data-testid={browsing ? 'minimal-banner' : 'pending-banner'}>
      <p>{browsing ? t('minimal.banner') : t('pending.banner')}</p>
      <button type="button" class="secondary small" onClick={onReview}>
        {browsing ? t('minimal.review') : t('pending.review')}
      </button>
    </div>
  );
}
