// Keeps keyboard focus inside a modal while it is open and gives it back where it was on close.
import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.getClientRects().length > 0,
  );
}

/**
 * @param initial the element to focus on open (the dialog's title, so a screen reader starts there);
 *                the first focusable element when absent.
 * @param onEscape called on Escape; absent means Escape does nothing (a choice must be made).
 */
export function useFocusTrap(
  container: RefObject<HTMLElement>,
  active: boolean,
  initial?: RefObject<HTMLElement>,
  onEscape?: () => void,
): void {
  // A layout effect: the keys work from the first frame the dialog is seen, not one frame later.
  useLayoutEffect(() => {
    const root = container.current;
    if (!active || !root) return;
    const previous = document.activeElement as HTMLElement | null;

    const start = initial?.current ?? focusables(root)[0] ?? root;
    start.focus();

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && onEscape) {
        event.preventDefault();
        onEscape();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = focusables(root);
      if (items.length === 0) {
        event.preventDefault();
        return;
      }
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const current = document.activeElement as HTMLElement | null;
      const outside = !current || !root.contains(current) || !items.includes(current);
      if (event.shiftKey && (outside || current === first)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (outside || current === last)) {
        event.preventDefault();
        first.focus();
      }
    };
    // Focus that escapes by mouse or script is brought back.
    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof Node && !root.contains(event.target)) {
        (focusables(root)[0] ?? root).focus();
      }
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn);
      if (previous && previous.isConnected && !previous.closest('[inert]')) previous.focus();
    };
  }, [active, container, initial, onEscape]);
}
