// The session token lives in localStorage `veil.session`; only this file touches that key.
export const SESSION_STORAGE_KEY = 'veil.session';

export function loadToken(): string | null {
  try {
    const token = localStorage.getItem(SESSION_STORAGE_KEY);
    return token && token.length > 0 ? token : null;
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    localStorage.setItem(SESSION_STORAGE_KEY, token);
  } catch {
    // The session then lasts only as long as this page.
  }
}

export function clearToken(): void {
  try {
    localStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}
