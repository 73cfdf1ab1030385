// Where a recharge order's pay_url leads. The development provider's checkout is a page of this app
// at `/wallet/checkout?order=…`; the server does not serve the app at that path, and the app's routes
// are hash routes, so it opens as `#/wallet/checkout?order=…`. Any other provider's page is left for
// the browser to open, if it is an http(s) address.
import { paths } from '../../app/router';

export type CheckoutTarget = { hash: string } | { href: string } | null;

export function checkoutTarget(payUrl: string, origin = location.origin): CheckoutTarget {
  let url: URL;
  try {
    url = new URL(payUrl, origin);
  } catch {
    return null;
  }
  if (url.origin === origin && url.pathname.replace(/\/+$/, '') === '/wallet/checkout') {
    const order = url.searchParams.get('order');
    return order ? { hash: paths.checkout(order) } : null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? { href: url.href } : null;
}
