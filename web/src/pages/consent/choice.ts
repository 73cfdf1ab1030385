// The visitor's privacy choice, kept in this browser only (localStorage `veil.consent`) until it
// travels with registration. Nothing here is sent anywhere by itself.
export const CONSENT_STORAGE_KEY = 'veil.consent';

export type ConsentChoice =
  | { mode: 'accepted'; version: string; purposes: string[] }
  | { mode: 'browse' };

export function loadChoice(): ConsentChoice | null {
  let raw: string | null;
  try {
    raw = localStorage.getItem(CONSENT_STORAGE_KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<{ mode: unknown; version: unknown; purposes: unknown }>;
    if (value.mode === 'browse') return { mode: 'browse' };
    if (
      value.mode === 'accepted' &&
      typeof value.version === 'string' &&
      Array.isArray(value.purposes) &&
      value.purposes.every((p) => typeof p === 'string')
    ) {
      return { mode: 'accepted', version: value.version, purposes: value.purposes as string[] };
    }
  } catch {
    // A damaged value counts as no choice: the dialog asks again.
  }
  return null;
}

export function saveChoice(choice: ConsentChoice): void {
  try {
    localStorage.setItem(CONSENT_STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // Kept for this visit only.
  }
}

/**
 * An acceptance counts only for the policy version it accepted: after a new version the dialog
 * asks again (re-consent on a material change).
 */
export function effectiveChoice(
  choice: ConsentChoice | null,
  currentVersion: string | null,
): ConsentChoice | null {
  if (!choice) return null;
  if (choice.mode === 'accepted' && currentVersion !== null && choice.version !== currentVersion) {
    return null;
  }
  return choice;
}
