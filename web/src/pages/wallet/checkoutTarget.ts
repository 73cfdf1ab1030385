// Where a recharge order's pay_url leads. The development provider's checkout is a page of this app
// (`/#/wallet/checkout?order=…`), opened as a hash route without reloading; any other provider's
// page is left for the browser to open, if it is an http(s) address.
export type CheckoutTarget = { hash: string } | { href: string } | null;

export function checkoutTarget(payUrl: string, origin = location.origin): CheckoutTarget {
  let url: URL;
  try {
    url = new URL(payUrl, origin);
  } catch {
    return null;
  }
  if (url.origin === origin && url.hash.startsWith('#/wallet/checkout')) return { hash: url.hash };
  return url.protocol === 'https:' || url.protocol === 'http:' ? { href: url.href } : null;
}
