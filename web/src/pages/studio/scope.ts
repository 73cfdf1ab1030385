import type { LiveScope } from '../../api/types';
import { LIVE_SCOPES } from '../../api/types';
import type { I18n } from '../../i18n';

/** A live scope in the person's language; a scope this version does not know, as the server names it. */
export function scopeLabel(t: I18n['t'], scope: string): string {
  return (LIVE_SCOPES as readonly string[]).includes(scope) ? t(`scope.${scope as LiveScope}`) : scope;
}
