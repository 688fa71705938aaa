// Runs the real built `switchyard serve` on 127.0.0.1:0 with a fresh temporary data directory, for
// the client SDK tests: the node counterpart of tests/support/server_process.h.
//
//   const server = await startServer();      // waits for "listening on http://HOST:PORT"
//   server.baseUrl, server.adminKey, server.projectKey
//   await server.api('POST', '/api/v1/projects/default/flags', flag);   // admin key
//   await server.stop();                      // SIGTERM, wait, remove the data directory
//
// The binary is $SWITCHYARD_BINARY (ctest sets it), else ../../build/switchyard from here.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export function switchyardBinary() {
  return process.env.SWITCHYARD_BINARY || resolve(here, '../../../build/switchyard');
}

// Keys of the shape the server generates; fresh per server so tests never share one.
function testKey(scope) {
  return `sy_${scope}_test_${randomBytes(16).toString('hex')}`;
}

// The child's environment: ours without any SWITCHYARD_* setting (the test decides those).
function childEnvironment(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('SWITCHYARD_')) env[name] = value;
  }
  return { ...env, ...extra };
}

export async function startServer({ extraArgs = [], env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-client-test-'));
  const adminKey = testKey('admin');
  const projectKey = testKey('proj');
  const child = spawn(
    switchyardBinary(),
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extraArgs],
    {
      env: childEnvironment({ SWITCHYARD_ADMIN_KEY: adminKey, SWITCHYARD_PROJECT_KEY: projectKey, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // A test that dies before stop() must not leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let output = '';
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchyard did not start listening within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on http:\/\/[0-9.]+:([0-9]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${switchyardBinary()}: ${err.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`switchyard exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    baseUrl,
    port,
    adminKey,
    projectKey,
    dataDir,
    output: () => output,
    // One JSON request; answers {status, headers, body} (body parsed when it is JSON).
    async request(method, path, body, key = adminKey, headers = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: {
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    // An admin request that must succeed (2xx); throws with the answer otherwise.
    async api(method, path, body) {
      const answer = await this.request(method, path, body);
      if (answer.status < 200 || answer.status > 299) {
        throw new Error(`${method} ${path} -> ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
      return answer.body;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
