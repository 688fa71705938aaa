// posthog-js (the version package.json pins) in Debian's headless Chromium, driven by
// playwright-core: a page on its own origin loads posthog-js pointed at the real server (so every
// call is cross-origin and needs CORS), loads its flags from Switchyard, and its $pageview and
// $feature_flag_called events are stored. posthog-js also asks for things Switchyard does not
// serve (session recording, surveys, web experiments); nothing here depends on those.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { startServer } from './support/server.mjs';
import { waitForEvents } from './support/events.mjs';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = '/api/v1/projects/default/flags';

let server;
let site;
let browser;

// The page: posthog-js's browser bundle, initialised for one known distinct id.
function page(distinctId, batching) {
  const config = {
    api_host: server.baseUrl,
    bootstrap: { distinctID: distinctId },
    persistence: 'memory',
    request_batching: batching, // false: each event sent as it happens; true (the default): queued
    autocapture: false,
    disable_session_recording: true,
    disable_surveys: true,
    capture_pageview: true,
    // posthog-js drops events from browsers whose user agent says they are bots, and headless
    // Chromium says "HeadlessChrome": a real visitor's browser would not.
    opt_out_useragent_filter: true,
  };
  return `<!doctype html><html><head><title>switchyard posthog-js test</title>
<script src="/posthog.js"></script>
<script>
  window.flagsLoaded = new Promise((resolve) => {
    posthog.init(${JSON.stringify(server.projectKey)}, ${JSON.stringify(config)});
    posthog.onFeatureFlags((flags) => resolve(flags));
  });
</script></head><body>hello</body></html>`;
}

before(async () => {
  server = await startServer();
  await server.api('POST', FLAGS, { key: 'js-everyone', filters: { groups: [{ properties: [] }] } });
  await server.api('POST', FLAGS, {
    key: 'js-layout',
    filters: {
      groups: [{ properties: [], rollout_percentage: 90 }],
      multivariate: { variants: [{ key: 'grid', rollout_percentage: 50 }, { key: 'list', rollout_percentage: 50 }] },
      payloads: { grid: JSON.stringify({ columns: 3 }), list: JSON.stringify({ dense: true }) },
    },
  });
  const bundle = readFileSync(require.resolve('posthog-js/dist/array.full.js'));
  site = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/posthog.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      res.end(bundle);
    } else if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(page(url.searchParams.get('user'), url.searchParams.get('batching') === 'true'));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (site) await new Promise((resolve) => site.close(resolve));
  await server?.stop();
});

// What Switchyard itself answers for this user.
async function evaluate(distinctId) {
  const answer = await server.request('POST', '/api/v1/evaluate', { distinct_id: distinctId }, server.projectKey);
  assert.equal(answer.status, 200);
  return answer.body.flags;
}

test('a page on another origin loads flags from Switchyard and its events are stored', async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const failures = [];
  tab.on('requestfailed', (request) => failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  const switchyardAnswers = [];
  tab.on('response', (response) => {
    if (response.url().startsWith(server.baseUrl)) switchyardAnswers.push(`${response.status()} ${response.url()}`);
  });
  try {
    for (const user of ['js-user-1', 'js-user-2', 'js-user-3']) {
      await tab.goto(`http://127.0.0.1:${site.address().port}/?user=${user}&batching=false`);
      const loaded = await tab.evaluate(() => window.flagsLoaded);
      const ours = await evaluate(user);
      const inPage = await tab.evaluate(() => ({
        distinctId: posthog.get_distinct_id(),
        everyone: posthog.getFeatureFlag('js-everyone'),
        layout: posthog.getFeatureFlag('js-layout'),
        payload: posthog.getFeatureFlagPayload('js-layout') ?? null,
        enabled: posthog.isFeatureEnabled('js-layout'),
      }));
      assert.equal(inPage.distinctId, user);
      assert.ok(loaded.includes('js-everyone'), `onFeatureFlags saw ${loaded}`);
      assert.equal(inPage.everyone, ours['js-everyone'].value);
      assert.equal(inPage.layout, ours['js-layout'].value, user);
      assert.equal(inPage.enabled, ours['js-layout'].enabled, user);
      assert.deepEqual(inPage.payload, ours['js-layout'].enabled ? ours['js-layout'].payload : null, user);

      // The pageview posthog-js sends on load, and the $feature_flag_called of the reads above.
      await waitForEvents(server, { event: '$pageview', distinct_id: user }, (events) => events.length === 1);
      const called = await waitForEvents(
        server,
        { event: '$feature_flag_called', distinct_id: user },
        (events) => ['js-everyone', 'js-layout'].every((flag) => events.some((e) => e.properties.$feature_flag === flag)),
        `${user}'s $feature_flag_called`,
      );
      const layoutCall = called.find((e) => e.properties.$feature_flag === 'js-layout');
      assert.equal(layoutCall.properties.$feature_flag_response, ours['js-layout'].value);
      assert.equal(layoutCall.properties.$lib, 'web');
    }
    // Every call posthog-js made to Switchyard got through CORS (a blocked one fails the request).
    const blocked = failures.filter((failure) => failure.includes(server.baseUrl));
    assert.deepEqual(blocked, [], `answers: ${switchyardAnswers.join('\n')}`);
  } finally {
    await context.close();
  }
});

test("posthog-js's own batching (gzipped, flushed when the page is left) delivers every event", async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  const captures = [];
  tab.on('request', (request) => {
    const url = new URL(request.url());
    if (request.url().startsWith(server.baseUrl) && request.method() === 'POST' && !url.pathname.startsWith('/flags')) {
      const body = request.postDataBuffer() ?? Buffer.alloc(0);
      // posthog-js 1.449 gzips without saying so (text/plain, no compression parameter): the
      // server must recognise gzip's magic bytes.
      captures.push({ path: url.pathname, gzip: body[0] === 0x1f && body[1] === 0x8b });
    }
  });
  try {
    const user = 'js-batching-user';
    await tab.goto(`http://127.0.0.1:${site.address().port}/?user=${user}&batching=true`);
    await tab.evaluate(() => window.flagsLoaded);
    await tab.evaluate(() => {
      for (let i = 0; i < 25; i++) posthog.capture('js-clicked', { index: i });
    });
    // Leaving the page makes posthog-js send what it still holds (sendBeacon on unload).
    await tab.goto('about:blank');
    const clicks = await waitForEvents(server, { event: 'js-clicked', distinct_id: user }, (events) => events.length === 25);
    assert.deepEqual(clicks.map((e) => e.properties.index).sort((a, b) => a - b), [...Array(25).keys()]);
    await waitForEvents(server, { event: '$pageview', distinct_id: user }, (events) => events.length === 1);
    assert.ok(captures.some((capture) => capture.gzip), `capture requests: ${JSON.stringify(captures)}`);
  } finally {
    await context.close();
  }
});
