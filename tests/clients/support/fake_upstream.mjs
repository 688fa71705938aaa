// Runs the built sy_fake_upstream (tests/support/fake_upstream.h as a process): an
// OpenAI-compatible upstream whose behaviour each request's `model` picks (echo, slow-<ms>,
// fail-500, fail-429, fail-then-ok-<n>, garbage, hang, stall, truncate, big-<bytes>, drip-<ms>,
// stream-break; see docs/DESIGN-NOTES.md, "Outbound client").
//
//   const upstream = await startFakeUpstream();          // { port, baseUrl }  (baseUrl ends in /v1)
//   await upstream.stop();
//
// The binary is $SY_FAKE_UPSTREAM_BINARY, else sy_fake_upstream next to $SWITCHYARD_BINARY, else
// ../../../build/sy_fake_upstream from here.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 20_000;

export function fakeUpstreamBinary() {
  if (process.env.SY_FAKE_UPSTREAM_BINARY) return process.env.SY_FAKE_UPSTREAM_BINARY;
  if (process.env.SWITCHYARD_BINARY) return join(dirname(process.env.SWITCHYARD_BINARY), 'sy_fake_upstream');
  return resolve(here, '../../../build/sy_fake_upstream');
}

export async function startFakeUpstream({ threads = 1, tlsCert, tlsKey } = {}) {
  const args = ['--port', '0', '--print-port', '--threads', String(threads)];
  if (tlsCert) args.push('--tls-cert', tlsCert, '--tls-key', tlsKey);
  const child = spawn(fakeUpstreamBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));

  let output = '';
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sy_fake_upstream printed no port within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const match = /^([0-9]+)\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${fakeUpstreamBinary()}: ${err.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`sy_fake_upstream exited (${code ?? signal}) before listening:\n${output}`));
    });
  });

  const scheme = tlsCert ? 'https' : 'http';
  return {
    port,
    baseUrl: `${scheme}://127.0.0.1:${port}/v1`,
    async stop() {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      await exited;
    },
  };
}
