// posthog-node's identify() (a $identify event with $set / $set_once, sent through /batch) must
// change the person's properties that targeting reads: a flag on a person property flips for that
// user, and for no one else.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import { PostHog } from 'posthog-node';

import { startServer } from './support/server.mjs';
import { waitForEvents, waitForValue } from './support/events.mjs';

let server;
let posthog;

before(async () => {
  server = await startServer();
  await server.api('POST', '/api/v1/projects/default/flags', {
    key: 'beta-programme',
    filters: { groups: [{ properties: [{ key: 'beta', operator: 'exact', value: ['yes'] }] }] },
  });
  posthog = new PostHog(server.projectKey, { host: server.baseUrl, flushAt: 1, flushInterval: 0 });
});

after(async () => {
  await posthog?.shutdown();
  await server?.stop();
});

test('identify with $set changes the targeting of that user', async () => {
  const user = `identified-${randomUUID()}`;
  const options = { sendFeatureFlagEvents: false };
  assert.equal(await posthog.getFeatureFlag('beta-programme', user, options), false);
  posthog.identify({ distinctId: user, properties: { $set: { beta: 'yes' }, $set_once: { first_seen: 'today' } } });
  await posthog.flush();
  // Stored as an event, and applied to the person that targeting reads.
  await waitForEvents(server, { event: '$identify', distinct_id: user }, (events) => events.length === 1);
  await waitForValue(() => posthog.getFeatureFlag('beta-programme', user, options), true, 'beta-programme after identify');
  const person = await server.api('GET', `/api/v1/projects/default/persons/${user}`);
  assert.equal(person.properties.beta, 'yes');
  assert.equal(person.properties.first_seen, 'today');
  // Another user is untouched.
  assert.equal(await posthog.getFeatureFlag('beta-programme', `${user}-other`, options), false);
});
