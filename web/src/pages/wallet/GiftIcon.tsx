// A gift's picture, drawn here rather than taken from an emoji font, so it looks the same on every
// device, in every screenshot, and without a font that may be missing. Decorative: the gift's name
// is always written beside it.
import type { VNode } from 'preact';

const PICTURES: Record<string, () => VNode> = {
  rose: () => (
    <>
      <path d="M12 12.5V22" stroke="#2e7d32" stroke-width="1.8" stroke-linecap="round" fill="none" />
      <path d="M12 18.5c-2.6.1-4.3-1.3-4.9-3.2 2.2-.1 4 .8 4.9 3.2z" fill="#43a047" />
      <path d="M6.3 7.6C6.3 4.2 8.8 2 12 2s5.7 2.2 5.7 5.6c0 3.4-2.6 5.6-5.7 5.6S6.3 11 6.3 7.6z" fill="#d81b60" />
      <path
        d="M12 4.9c1.7 0 2.8 1.1 2.8 2.5 0 1.3-1 2.3-2.4 2.3-1.2 0-2.1-.8-2.1-1.9 0-1 .7-1.6 1.5-1.6"
        stroke="#880e4f"
        stroke-width="1.2"
        stroke-linecap="round"
        fill="none"
      />
    </>
  ),
  heart: () => (
    <path
      d="M12 21s-7.6-4.6-9.6-9.3C.9 8.2 3 4.4 6.7 4.4c2.1 0 3.9 1.2 5.3 3 1.4-1.8 3.2-3 5.3-3 3.7 0 5.8 3.8 4.3 7.3C19.6 16.4 12 21 12 21z"
      fill="#e0245e"
    />
  ),
  rocket: () => (
    <>
      <path d="M7.6 12.4 4.4 16v2.6l3.2-1.6zM16.4 12.4l3.2 3.6v2.6l-3.2-1.6z" fill="#e53935" />
      <path d="M12 1.8c3 2.2 4.6 5.7 4.6 9.7V17H7.4v-5.5c0-4 1.6-7.5 4.6-9.7z" fill="#b0bec5" />
      <circle cx="12" cy="9" r="2" fill="#1e88e5" />
      <path d="M9.8 17h4.4l-.7 3L12 22.4 10.5 20z" fill="#fb8c00" />
    </>
  ),
  castle: () => (
    <>
      <path d="M12 2.2v4" stroke="#5d4037" stroke-width="1.2" fill="none" />
      <path d="M12 2.2l3.6 1.2L12 4.6z" fill="#e53935" />
      <path d="M8.5 12V6h1.5v1.3h1.3V6h1.4v1.3h1.3V6h1.5v6z" fill="#a1887f" />
      <path d="M2.5 21.5V10h2.2v2h1.9v-2h2.2v2h6.4v-2h2.2v2h1.9v-2h2.2v11.5h-7.4v-3.6a2.1 2.1 0 0 0-4.2 0v3.6z" fill="#8d6e63" />
    </>
  ),
};

/** Any gift the server adds later: a wrapped box. */
const wrappedBox = () => (
  <>
    <path d="M3 8h18v4H3z" fill="#e53935" />
    <path d="M4.5 12h15v9.5h-15z" fill="#ef5350" />
    <path d="M10.8 8h2.4v13.5h-2.4z" fill="#fdd835" />
    <path d="M12 8C10 4.5 6.5 4.8 7.2 7.2c.3 1 2.6.8 4.8.8zm0 0c2-3.5 5.5-3.2 4.8-.8-.3 1-2.6.8-4.8.8z" fill="#fdd835" />
  </>
);

export function GiftIcon({ gift }: { gift: string }) {
  return (
    <svg class="gift-icon" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
      {(Object.prototype.hasOwnProperty.call(PICTURES, gift) ? PICTURES[gift]! : wrappedBox)()}
    </svg>
  );
}
