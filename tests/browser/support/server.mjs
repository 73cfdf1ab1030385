// Starts a real `veil serve --dev` for one test: a free loopback port, a fresh data directory, the
// built web app as its web root. `close()` stops it (SIGTERM) and removes the data directory.
import { spawn, execFile } from 'node:child_process';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const veilBin = process.env.VEIL_BIN
  ? path.resolve(repoRoot, process.env.VEIL_BIN)
  : path.join(repoRoot, 'build/src/app/veil');
export const webRoot = path.join(repoRoot, 'web/dist');

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function assertReady() {
  try {
    await access(veilBin, constants.X_OK);
  } catch {
    throw new Error(
      `No server binary at ${veilBin}. Build it (cmake --build build --target veil) or set VEIL_BIN.`,
    );
  }
  try {
    await access(path.join(webRoot, 'index.html'));
  } catch {
    throw new Error(`No built web app in ${webRoot}. Run: cd web && npm ci && npm run build`);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @returns {Promise<VeilServer>} */
export async function startServer() {
  await assertReady();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'veil-browser-'));
  let lastError;
  // The port is free when asked but could be taken before the server binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    try {
      return await spawnServer(port, dataDir);
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  throw lastError;
}

async function spawnServer(port, dataDir) {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    veilBin,
    // RTMP on a free port: a fixed one could still be held by the previous test's nginx.
    ['serve', '--dev', '--listen', `127.0.0.1:${port}`, '--rtmp-listen', '127.0.0.1:0', '--data-dir', dataDir, '--web-root', webRoot],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exit = null;
  exited.then((value) => {
    exit = value;
  });

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exit) {
      throw new Error(`veil serve exited (${JSON.stringify(exit)}) before it was healthy:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`veil serve was not healthy within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(100);
  }

  const stop = async () => {
    if (exit) return exit;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => null)]);
    if (stopped) return stopped;
    child.kill('SIGKILL');
    return exited;
  };

  return {
    url,
    port,
    dataDir,
    output: () => output,
    /** Stops the server and waits for it to exit. */
    stop,
    /** Stops the server and removes its data directory. */
    async close() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    /** POST /api/v1/dev/clock: moves the development server's clock forward. */
    async advanceClock(seconds) {
      const response = await fetch(`${url}/api/v1/dev/clock`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ advance_seconds: seconds }),
      });
      if (!response.ok) throw new Error(`dev clock: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    },
    /** POST /api/v1/dev/staff: makes an account staff (development servers only, no session). */
    async makeStaff(accountId) {
      const response = await fetch(`${url}/api/v1/dev/staff`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ account_id: accountId }),
      });
      if (!response.ok) throw new Error(`dev staff: HTTP ${response.status} ${await response.text()}`);
    },
    async getJson(apiPath) {
      const response = await fetch(`${url}${apiPath}`);
      if (!response.ok) throw new Error(`${apiPath}: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    },
  };
}

/**
 * `veil admin personal-row-counts --data-dir DIR`: rows in every table the data map declares as
 * holding personal information, as {table: count}.
 */
export async function personalRowCounts(dataDir) {
  const { stdout } = await run(veilBin, ['admin', 'personal-row-counts', '--data-dir', dataDir], {
    cwd: repoRoot,
    timeout: 30_000,
  });
  return JSON.parse(stdout);
}
