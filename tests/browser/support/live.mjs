// Helpers for the live-streaming flows: resident ID numbers, the signed-in account, the camera.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** GB 11643: the check character of the first 17 digits of a resident ID number. */
export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * A well-formed 18-character resident ID number: region (Beijing, Chaoyang), birth date
 * YYYYMMDD, a 3-digit sequence, and the check character — or a wrong one with `wrongCheck`.
 */
export function residentId({ region = '110105', birth = '19900307', sequence = '123', wrongCheck = false } = {}) {
  const first17 = `${region}${birth}${sequence}`;
  const right = checkCharacter(first17);
  if (!wrongCheck) return first17 + right;
  const wrong = CHECK.split('').find((c) => c !== right);
  return first17 + wrong;
}

/** The signed-in account of this page, as GET /api/v1/me answers it. */
export async function signedInAccount(page) {
  return page.evaluate(async () => {
    const response = await fetch('/api/v1/me', {
      headers: { Authorization: `Bearer ${localStorage.getItem('veil.session')}` },
    });
    if (!response.ok) throw new Error(`GET /me: HTTP ${response.status}`);
    return response.json();
  });
}

/**
 * Before the app loads: remember every camera stream the page opens, so a test can tell whether
 * the camera was really turned off (every track ended), not just hidden.
 */
export async function watchCamera(context) {
  await context.addInitScript(() => {
    const streams = [];
    window.__veilStreams = streams;
    const devices = navigator.mediaDevices;
    if (!devices?.getUserMedia) return;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      streams.push(stream);
      return stream;
    };
  });
}

/** How many camera streams were opened, and how many of their tracks are still live. */
export async function cameraUse(page) {
  return page.evaluate(() => {
    const streams = window.__veilStreams ?? [];
    const tracks = streams.flatMap((s) => s.getTracks());
    return { opened: streams.length, live: tracks.filter((t) => t.readyState === 'live').length };
  });
}

/** Before the app loads: the camera is refused, as when a person says no to the browser's prompt. */
export async function refuseCamera(context) {
  await context.addInitScript(() => {
    if (!navigator.mediaDevices) return;
    navigator.mediaDevices.getUserMedia = async () => {
      throw new DOMException('Permission denied', 'NotAllowedError');
    };
  });
}
