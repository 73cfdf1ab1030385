import type { AccountStatus } from '../../api/types';
import { paths } from '../../app/router';

/** A child waiting for a guardian goes to the guardian step first; everyone else to the profile. */
export function afterLoginPath(status: AccountStatus): string {
  return status === 'awaiting_guardian' ? paths.guardian : paths.profile;
}
