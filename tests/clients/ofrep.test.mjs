// @openfeature/server-sdk with @openfeature/ofrep-provider against the real server: typed values
// (boolean, string, number, object) with their reasons and metadata, and the errors the SDK
// reports (flag not found, missing targeting key, type mismatch).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';

import { startServer } from './support/server.mjs';

const FLAGS = '/api/v1/projects/default/flags';
const everyone = { properties: [] };
const proPlan = { properties: [{ key: 'plan', operator: 'exact', value: 'pro' }] };

let server;
let client;

before(async () => {
  server = await startServer();
  await server.api('POST', FLAGS, { key: 'new-checkout', filters: { groups: [everyone] } });
  await server.api('POST', FLAGS, { key: 'maintenance', active: false, filters: { groups: [everyone] } });
  await server.api('POST', FLAGS, {
    key: 'theme',
    filters: {
      groups: [{ ...proPlan, variant: 'dark' }],
      multivariate: {
        variants: [
          { key: 'dark', rollout_percentage: 50 },
          { key: 'light', rollout_percentage: 50 },
        ],
      },
    },
  });
  await server.api('POST', FLAGS, {
    key: 'page-size',
    filters: {
      groups: [everyone],
      multivariate: {
        variants: [
          { key: 'small', rollout_percentage: 50 },
          { key: 'large', rollout_percentage: 50 },
        ],
      },
      payloads: { small: '10', large: '50' },
    },
  });
  await server.api('POST', FLAGS, {
    key: 'banner',
    filters: {
      groups: [proPlan],
      multivariate: { variants: [{ key: 'promo', rollout_percentage: 100 }] },
      payloads: { promo: JSON.stringify({ text: 'Welcome back', colour: '#0a0' }) },
    },
  });
  OpenFeature.setProvider(
    new OFREPProvider({ baseUrl: server.baseUrl, headers: { Authorization: `Bearer ${server.projectKey}` } }),
  );
  client = OpenFeature.getClient();
});

after(async () => {
  await OpenFeature.close();
  await server?.stop();
});

describe('typed values', () => {
  test('boolean flag: value, reason and metadata', async () => {
    const on = await client.getBooleanDetails('new-checkout', false, { targetingKey: 'user-1' });
    assert.equal(on.value, true);
    assert.equal(on.reason, 'STATIC');
    assert.equal(on.errorCode, undefined);
    assert.equal(on.flagMetadata.flagVersion, 1);

    const off = await client.getBooleanDetails('maintenance', true, { targetingKey: 'user-1' });
    assert.equal(off.value, false);
    assert.equal(off.reason, 'DISABLED');
  });

  test('string flag: the variant key, chosen by targeting', async () => {
    const pro = await client.getStringDetails('theme', 'none', { targetingKey: 'user-1', plan: 'pro' });
    assert.equal(pro.value, 'dark');
    assert.equal(pro.variant, 'dark');
    assert.equal(pro.reason, 'TARGETING_MATCH');

    // Nothing served to a free user: the SDK falls back to the code's default.
    const free = await client.getStringDetails('theme', 'none', { targetingKey: 'user-1', plan: 'free' });
    assert.equal(free.value, 'none');
  });

  test('number flag: the served variant payload, as /api/v1/evaluate serves it', async () => {
    const seen = new Set();
    for (let i = 0; i < 20; i++) {
      const user = `user-${i}`;
      const details = await client.getNumberDetails('page-size', 0, { targetingKey: user });
      const ours = await server.request(
        'POST',
        '/api/v1/evaluate',
        { distinct_id: user, flags: ['page-size'] },
        server.projectKey,
      );
      assert.equal(ours.status, 200);
      const flag = ours.body.flags['page-size'];
      assert.equal(details.variant, flag.variant, user);
      assert.equal(details.value, flag.variant === 'small' ? 10 : 50, user);
      assert.equal(details.reason, 'SPLIT');
      seen.add(details.value);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), [10, 50]);
  });

  test('object flag: the variant payload object', async () => {
    const details = await client.getObjectDetails('banner', {}, { targetingKey: 'user-7', plan: 'pro' });
    assert.deepEqual(details.value, { text: 'Welcome back', colour: '#0a0' });
    assert.equal(details.variant, 'promo');
  });

  test('stored person properties target like the request attributes', async () => {
    await server.api('PUT', '/api/v1/projects/default/persons/stored-pro', { properties: { plan: 'pro' } });
    const value = await client.getStringValue('theme', 'none', { targetingKey: 'stored-pro' });
    assert.equal(value, 'dark');
  });
});

describe('errors', () => {
  test('flag not found', async () => {
    const details = await client.getBooleanDetails('no-such-flag', true, { targetingKey: 'user-1' });
    assert.equal(details.value, true);
    assert.equal(details.errorCode, 'FLAG_NOT_FOUND');
    assert.equal(details.reason, 'ERROR');
  });

  test('missing targeting key', async () => {
    const details = await client.getBooleanDetails('new-checkout', false, { plan: 'pro' });
    assert.equal(details.value, false);
    assert.equal(details.errorCode, 'TARGETING_KEY_MISSING');
  });

  test('type mismatch', async () => {
    const details = await client.getNumberDetails('new-checkout', 42, { targetingKey: 'user-1' });
    assert.equal(details.value, 42);
    assert.equal(details.errorCode, 'TYPE_MISMATCH');
  });

  test('a wrong key is refused', async () => {
    const stranger = new OFREPProvider({ baseUrl: server.baseUrl, headers: { 'X-API-Key': 'sy_proj_wrong' } });
    await OpenFeature.setProviderAndWait('stranger', stranger);
    const details = await OpenFeature.getClient('stranger').getBooleanDetails('new-checkout', false, {
      targetingKey: 'user-1',
    });
    assert.equal(details.value, false);
    assert.equal(details.errorCode, 'GENERAL');
  });

  test('X-API-Key authenticates like Bearer', async () => {
    const keyed = new OFREPProvider({ baseUrl: server.baseUrl, headers: { 'X-API-Key': server.projectKey } });
    await OpenFeature.setProviderAndWait('keyed', keyed);
    const value = await OpenFeature.getClient('keyed').getBooleanValue('new-checkout', false, { targetingKey: 'u' });
    assert.equal(value, true);
  });
});
