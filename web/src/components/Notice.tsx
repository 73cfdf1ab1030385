import type { ComponentChildren } from 'preact';

/** A polite, non-interrupting status line (saved, sent…). */
export function Notice({ children }: { children: ComponentChildren }) {
  if (!children) return null;
  return (
    <p class="message message--ok" role="status">
      {children}
    </p>
  );
}
