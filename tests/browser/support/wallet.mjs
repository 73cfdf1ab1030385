// Helpers for the wallet flows: coins bought through the API the way the development checkout page
// buys them (an order, the development provider's signed callback, posted as it is), and ID dates.
import { randomUUID } from 'node:crypto';
import { api } from './rooms.mjs';

/** Recharges `amountCents` for `person` and settles it as paid; returns the order number. */
export async function buyCoins(server, person, amountCents) {
  const { order } = await api(server, 'POST', '/wallet/recharges', {
    token: person.token,
    body: { amount_cents: amountCents, request_id: randomUUID() },
  });
  const signed = await api(server, 'POST', `/dev/payments/${order.order_no}/callback`, {
    token: person.token,
    body: { paid: true },
  });
  const response = await fetch(`${server.url}/api/v1/payments/callback`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...signed.headers },
    body: signed.body,
  });
  if (!response.ok) throw new Error(`payment callback: HTTP ${response.status} ${await response.text()}`);
  return order.order_no;
}

/** Sends a gift through the API (not from the page). */
export async function sendGift(server, person, roomId, gift, quantity = 1) {
  return api(server, 'POST', `/rooms/${roomId}/gifts`, {
    token: person.token,
    body: { gift, quantity, request_id: randomUUID() },
  });
}

/** The birth date of someone `years` old (a month past the birthday), as an ID number writes it. */
export function birthYearsAgo(years) {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  d.setDate(d.getDate() - 30);
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}
