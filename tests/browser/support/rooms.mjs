// Helpers for the live-room flows: accounts made through the API (what the login page does, without
// the clicks), an approved, verified streamer with a live room, and a page opened already signed in.
import assert from 'node:assert/strict';
import { residentId } from './live.mjs';

// A 1×1 PNG: the development face provider accepts any well-formed photo.
export const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

export async function api(server, method, apiPath, { token, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}/api/v1${apiPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(`${method} ${apiPath}: HTTP ${response.status} ${text}`);
  return json;
}

/** Registers (or logs in) `phone` with every consent the person can give; returns {token, account, policy}. */
export async function apiAccount(server, phone) {
  const policy = await server.getJson('/api/v1/policy');
  const purposes = policy.purposes
    .filter((p) => (p.basis === 'consent' || p.basis === 'separate_consent') && p.given_by !== 'guardian')
    .map((p) => p.id);
  await api(server, 'POST', '/auth/code', { body: { phone, policy_version: policy.version } });
  const outbox = await server.getJson(`/api/v1/dev/outbox?phone=${phone}`);
  const text = outbox.messages.at(-1)?.text ?? '';
  const code = (text.match(/\d{4,8}/g) ?? []).sort((a, b) => b.length - a.length)[0];
  assert.ok(code, `a code in the outbox: ${text}`);
  const result = await api(server, 'POST', '/auth/verify', {
    body: { phone, code, consent: { policy_version: policy.version, purposes }, birth_date: '1990-03-07' },
  });
  return { token: result.token, account: result.account, policy, purposes };
}

export async function setNickname(server, person, nickname) {
  return api(server, 'PATCH', '/me/profile', { token: person.token, body: { nickname } });
}

/** A staff account (development servers only). */
export async function apiStaff(server, phone = '13900139000') {
  const staff = await apiAccount(server, phone);
  await server.makeStaff(staff.account.id);
  return staff;
}

/** Staff approves the person's pending streamer application. */
export async function approveApplication(server, staff) {
  const { applications } = await api(server, 'GET', '/staff/streamer-applications?status=pending', {
    token: staff.token,
  });
  assert.equal(applications.length, 1, 'one pending application');
  await api(server, 'POST', `/staff/streamer-applications/${applications[0].id}/decision`, {
    token: staff.token,
    body: { approve: true },
  });
}

/** An approved, real-name verified streamer with a live room: {host, room}. */
export async function liveHost(server, { phone = '13300133000', nickname = 'Host Hua', title = 'Career talk' } = {}) {
  const host = await apiAccount(server, phone);
  await setNickname(server, host, nickname);
  await api(server, 'POST', '/me/real-name', {
    token: host.token,
    body: { name: '张三', id_number: residentId(), face_image: TINY_PNG },
  });
  await api(server, 'POST', '/streamer/application', {
    token: host.token,
    body: { scope: 'career', intro: 'Weekly live talks about changing careers.' },
  });
  await approveApplication(server, await apiStaff(server));
  const { room } = await api(server, 'POST', '/rooms', { token: host.token, body: { title, mode: 'video' } });
  await api(server, 'POST', `/rooms/${room.id}/live`, { token: host.token });
  return { host, room };
}

/** Opens the app in a fresh profile already signed in as `person` (policy accepted, session stored). */
export async function openSignedIn(open, person, options = {}) {
  const choice = JSON.stringify({ mode: 'accepted', version: person.policy.version, purposes: person.purposes });
  return open({
    ...options,
    prepare: async (context) => {
      await context.addInitScript(
        ([session, consent]) => {
          if (!sessionStorage.getItem('veil.test.seeded')) {
            localStorage.setItem('veil.session', session);
            localStorage.setItem('veil.consent', consent);
            sessionStorage.setItem('veil.test.seeded', '1');
          }
        },
        [person.token, choice],
      );
      if (options.prepare) await options.prepare(context);
    },
  });
}

/** Opens the app as a visitor who chose to browse only. */
export async function openBrowsing(open, options = {}) {
  return open({
    ...options,
    prepare: async (context) => {
      await context.addInitScript(() => localStorage.setItem('veil.consent', JSON.stringify({ mode: 'browse' })));
    },
  });
}
