// posthog-node (the version package.json pins) against the real server, configured as a team
// moving from PostHog would: the project key as its token, Switchyard's URL as its host. Captures
// (gzipped batches) must be stored exactly once however the SDK sends or retries them, and every
// remote flag call must agree with POST /api/v1/evaluate. Identify: posthog-node-identify.test.mjs.
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { PostHog } from 'posthog-node';

import { startServer } from './support/server.mjs';
import { storedEvents } from './support/events.mjs';

const FLAGS = '/api/v1/projects/default/flags';
const USERS = 500;

let server;

// A client that records what it sends, so tests can see the wire (gzip, paths) as well as the result.
function client(options = {}) {
  const sent = [];
  const recordingFetch = (url, init) => {
    sent.push({ url: String(url), headers: { ...(init?.headers ?? {}) } });
    return fetch(url, init);
  };
  const posthog = new PostHog(server.projectKey, {
    host: server.baseUrl,
    fetch: recordingFetch,
    fetchRetryDelay: 50,
    featureFlagsRequestTimeoutMs: 10_000,
    ...options,
  });
  return { posthog, sent };
}

// The flags of the remote-evaluation test: one of each kind a team has.
const remoteFlags = [
  { key: 'everyone', filters: { groups: [{ properties: [] }], payloads: { true: JSON.stringify({ banner: 'hi' }) } } },
  { key: 'rollout-30', filters: { groups: [{ properties: [], rollout_percentage: 30 }] } },
  { key: 'switched-off', active: false, filters: { groups: [{ properties: [] }] } },
  {
    key: 'checkout-experiment',
    filters: {
      groups: [{ properties: [], rollout_percentage: 80 }],
      multivariate: {
        variants: [
          { key: 'control', rollout_percentage: 34 },
          { key: 'one-page', rollout_percentage: 33 },
          { key: 'wizard', rollout_percentage: 33 },
        ],
      },
      payloads: {
        control: JSON.stringify({ steps: 3 }),
        'one-page': JSON.stringify({ steps: 1 }),
        wizard: JSON.stringify({ steps: 5, skippable: true }),
      },
    },
  },
  {
    key: 'pro-features',
    filters: {
      groups: [
        { properties: [{ key: 'plan', type: 'person', operator: 'exact', value: ['pro', 'enterprise'] }] },
        { properties: [{ key: 'seats', type: 'person', operator: 'gte', value: 50 }], rollout_percentage: 50 },
      ],
      payloads: { true: '"pro"' },
    },
  },
  {
    key: 'pricing-page',
    filters: {
      groups: [
        { properties: [{ key: 'country', type: 'person', operator: 'exact', value: 'NZ' }], variant: 'local' },
        { properties: [{ key: 'plan', type: 'person', operator: 'is_not', value: 'free' }] },
      ],
      multivariate: {
        variants: [
          { key: 'local', rollout_percentage: 0 },
          { key: 'annual', rollout_percentage: 60 },
          { key: 'monthly', rollout_percentage: 40 },
        ],
      },
      payloads: { local: JSON.stringify({ currency: 'NZD' }), annual: JSON.stringify({ discount: 20 }) },
    },
  },
  { key: 'beta-programme', filters: { groups: [{ properties: [{ key: 'beta', operator: 'exact', value: ['yes'] }] }] } },
];

// User i's person properties: every combination of the targeted properties occurs.
function personProperties(i) {
  return {
    plan: ['free', 'pro', 'enterprise', 'team'][i % 4],
    seats: (i * 7) % 120,
    country: ['NZ', 'US', 'DE', 'JP', 'BR'][i % 5],
    beta: i % 3 === 0 ? 'yes' : 'no',
  };
}

// Switchyard's own answer for every user: one POST /api/v1/evaluate/batch (NDJSON, input order).
async function serverAnswers(users) {
  const response = await fetch(`${server.baseUrl}/api/v1/evaluate/batch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.projectKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ users }),
  });
  assert.equal(response.status, 200);
  const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, users.length);
  return lines;
}

// Runs fn over items, `width` at a time (each item is a few requests; all at once would only queue).
async function inParallel(items, width, fn) {
  for (let start = 0; start < items.length; start += width) {
    await Promise.all(items.slice(start, start + width).map(fn));
  }
}

before(async () => {
  server = await startServer();
  for (const flag of remoteFlags) await server.api('POST', FLAGS, flag);
});

after(async () => {
  await server?.stop();
});

describe('capture', () => {
  test('captures land, gzipped, with their properties, after flush()', async () => {
    const { posthog, sent } = client({ flushAt: 10, flushInterval: 0 });
    const event = `clicked-${randomUUID()}`;
    for (let i = 0; i < 35; i++) {
      posthog.capture({ distinctId: `capturer-${i % 5}`, event, properties: { index: i, colour: 'teal' } });
    }
    await posthog.flush();
    const stored = await storedEvents(server, { event });
    assert.equal(stored.length, 35);
    assert.deepEqual(
      stored.map((e) => e.properties.index).sort((a, b) => a - b),
      [...Array(35).keys()],
    );
    for (const e of stored) {
      assert.equal(e.distinct_id, `capturer-${e.properties.index % 5}`);
      assert.equal(e.properties.colour, 'teal');
      assert.equal(e.properties.$lib, 'posthog-node');
      assert.equal(e.properties.token, undefined, 'the project key is not stored with the event');
    }
    const batches = sent.filter((request) => new URL(request.url).pathname.startsWith('/batch'));
    assert.ok(batches.length >= 1);
    for (const request of batches) assert.equal(request.headers['Content-Encoding'], 'gzip');
    await posthog.shutdown();
  });

  test('shutdown() delivers everything still queued', async () => {
    // Nothing is sent on its own: no batch fills up and the interval never fires.
    const { posthog } = client({ flushAt: 1000, flushInterval: 600_000 });
    const event = `queued-${randomUUID()}`;
    for (let i = 0; i < 120; i++) posthog.capture({ distinctId: `queued-${i}`, event, properties: { i } });
    assert.equal((await storedEvents(server, { event })).length, 0, 'nothing sent before shutdown');
    await posthog.shutdown();
    const stored = await storedEvents(server, { event });
    assert.equal(stored.length, 120);
    assert.equal(new Set(stored.map((e) => e.distinct_id)).size, 120);
  });

  test("an event captured twice with the same uuid (the SDK's uuid option) is stored once", async () => {
    const { posthog } = client({ flushAt: 1, flushInterval: 0 });
    const uuid = randomUUID();
    const event = `twice-${randomUUID()}`;
    posthog.capture({ distinctId: 'twice', event, uuid, properties: { attempt: 1 } });
    await posthog.flush();
    posthog.capture({ distinctId: 'twice', event, uuid, properties: { attempt: 2 } });
    await posthog.shutdown();
    const stored = await storedEvents(server, { event });
    assert.equal(stored.length, 1);
    assert.equal(stored[0].uuid, uuid);
    assert.equal(stored[0].properties.attempt, 1, 'the first delivery is the one kept');
  });

  test('a batch whose response is lost is retried by the SDK and stored once', async () => {
    // A proxy that delivers the first /batch to the server, waits for its answer (so the events
    // are committed) and then cuts the connection: the SDK sees a network error and sends again.
    let dropped = 0;
    let forwarded = 0;
    const proxy = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', async () => {
        const headers = { ...req.headers };
        delete headers.host;
        const upstream = await fetch(server.baseUrl + req.url, {
          method: req.method,
          headers,
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        forwarded++;
        if (req.url.startsWith('/batch') && dropped === 0) {
          dropped++;
          req.socket.destroy();
          return;
        }
        res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/plain' });
        res.end(body);
      });
    });
    await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { posthog } = client({ host: `http://127.0.0.1:${proxy.address().port}`, flushAt: 50, flushInterval: 0 });
      const event = `lost-${randomUUID()}`;
      for (let i = 0; i < 50; i++) posthog.capture({ distinctId: `lost-${i}`, event });
      await posthog.shutdown();
      assert.equal(dropped, 1);
      assert.ok(forwarded >= 2, 'the SDK retried the batch');
      const stored = await storedEvents(server, { event });
      assert.equal(stored.length, 50);
      assert.equal(new Set(stored.map((e) => e.uuid)).size, 50);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('remote evaluation agrees with POST /api/v1/evaluate', () => {
  const users = [...Array(USERS).keys()].map((i) => ({ distinct_id: `remote-user-${i}`, properties: personProperties(i) }));
  let expected;
  let posthog;

  before(async () => {
    expected = await serverAnswers(users);
    ({ posthog } = client({ flushAt: 100, flushInterval: 0 }));
  });

  after(async () => {
    await posthog.shutdown();
  });

  test('the flags vary across these users (so agreeing means something)', () => {
    for (const flag of remoteFlags) {
      const values = new Set(expected.map((answer) => JSON.stringify(answer.flags[flag.key].value)));
      if (flag.active === false) assert.deepEqual([...values], ['false']);
      else if (flag.key === 'everyone') assert.deepEqual([...values], ['true']);
      else assert.ok(values.size >= 2, `${flag.key} takes ${[...values]}`);
    }
  });

  // What a flag call should answer for user i, in the SDK's terms.
  function want(i, key) {
    const ours = expected[i].flags[key];
    return { value: ours.value, enabled: ours.enabled, payload: ours.enabled ? ours.payload : null };
  }

  test('evaluateFlags (one /flags request per user): getFlag, isEnabled, getFlagPayload', async () => {
    const mismatches = [];
    await inParallel(users, 25, async (user) => {
      const i = users.indexOf(user);
      const flags = await posthog.evaluateFlags(user.distinct_id, { personProperties: user.properties });
      for (const flag of remoteFlags) {
        const got = {
          value: flags.getFlag(flag.key, { sendFeatureFlagEvents: false }),
          enabled: flags.isEnabled(flag.key, { sendFeatureFlagEvents: false }),
          payload: flags.getFlagPayload(flag.key) ?? null,
        };
        if (JSON.stringify(got) !== JSON.stringify(want(i, flag.key))) {
          mismatches.push({ user: user.distinct_id, flag: flag.key, got, want: want(i, flag.key) });
        }
      }
    });
    assert.deepEqual(mismatches.slice(0, 10), []);
  });

  test('getFeatureFlag, isFeatureEnabled and getFeatureFlagPayload (a request each), every flag', async () => {
    // Three requests per flag and user: a fifth of the users keeps this well inside the time budget.
    const some = users.filter((_, i) => i % 5 === 0);
    const mismatches = [];
    await inParallel(some, 25, async (user) => {
      const i = users.indexOf(user);
      const options = { personProperties: user.properties, sendFeatureFlagEvents: false };
      for (const flag of remoteFlags) {
        const value = await posthog.getFeatureFlag(flag.key, user.distinct_id, options);
        const enabled = await posthog.isFeatureEnabled(flag.key, user.distinct_id, options);
        const payload = await posthog.getFeatureFlagPayload(flag.key, user.distinct_id, undefined, options);
        const got = { value, enabled, payload: payload ?? null };
        if (JSON.stringify(got) !== JSON.stringify(want(i, flag.key))) {
          mismatches.push({ user: user.distinct_id, flag: flag.key, got, want: want(i, flag.key) });
        }
      }
    });
    assert.deepEqual(mismatches.slice(0, 10), []);
  });

  test('getAllFlags and getAllFlagsAndPayloads, for every user', async () => {
    const mismatches = [];
    await inParallel(users, 25, async (user) => {
      const i = users.indexOf(user);
      const options = { personProperties: user.properties };
      const all = await posthog.getAllFlags(user.distinct_id, options);
      const both = await posthog.getAllFlagsAndPayloads(user.distinct_id, options);
      const wantFlags = {};
      const wantPayloads = {};
      for (const [key, ours] of Object.entries(expected[i].flags)) {
        wantFlags[key] = ours.value;
        if (ours.enabled && ours.payload !== null) wantPayloads[key] = ours.payload;
      }
      const sorted = (object) => JSON.stringify(Object.fromEntries(Object.entries(object).sort()));
      if (sorted(all) !== sorted(wantFlags)) mismatches.push({ user: user.distinct_id, all, wantFlags });
      if (sorted(both.featureFlags) !== sorted(wantFlags) || sorted(both.featureFlagPayloads) !== sorted(wantPayloads)) {
        mismatches.push({ user: user.distinct_id, both, wantFlags, wantPayloads });
      }
    });
    assert.deepEqual(mismatches.slice(0, 5), []);
  });
});
