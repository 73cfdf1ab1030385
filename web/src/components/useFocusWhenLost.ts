import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * When `deps` change and the control that had keyboard focus went away with the old state (a
 * button replaced by its result), focus `target` instead of leaving it on the page's body. Not on
 * the first render: something appearing must not pull focus (and the page) towards it.
 */
export function useFocusWhenLost(target: RefObject<HTMLElement>, deps: unknown[]): void {
  const mounted = useRef(false);
  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body) target.current?.focus();
    // The caller lists in `deps` the state whose change can remove the focused control.
  }, deps);
}
