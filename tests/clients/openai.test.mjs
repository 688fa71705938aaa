// The official `openai` npm client through Switchyard's gateway, against a fake OpenAI-compatible
// upstream (sy_fake_upstream): plain and streamed chat completions (with and without usage),
// sticky assignment that matches /api/v1/evaluate, fallback with x-should-retry, OpenAI-shaped
// errors the client raises as its own error classes, embeddings and the model list, and a request
// the client aborts cancelling its upstream call.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import OpenAI from 'openai';

import { waitForEvents } from './support/events.mjs';
import { startFakeUpstream } from './support/fake_upstream.mjs';
import { startServer } from './support/server.mjs';

const PROJECT = '/api/v1/projects/default';
let server;
let upstream;
let openai;

async function register(name, upstreamModel, prices = { input_per_1m: 2.5, cached_input_per_1m: 1.25, output_per_1m: 10 }) {
  await server.api('POST', `${PROJECT}/models`, {
    name,
    version: '1.0.0',
    kind: 'openai_chat',
    upstream: { base_url: upstream.baseUrl, model: upstreamModel, credential_env: 'FAKE_UPSTREAM_KEY' },
    prices,
  });
}

before(async () => {
  upstream = await startFakeUpstream();
  server = await startServer({ env: { FAKE_UPSTREAM_KEY: 'sk-fake' } });
  await register('baseline', 'echo');
  await register('candidate', 'echo', { input_per_1m: 1, cached_input_per_1m: 0.5, output_per_1m: 4 });
  await register('broken', 'fail-500');
  await server.api('POST', `${PROJECT}/flags`, {
    key: 'chat-model',
    filters: {
      groups: [{ properties: [] }],
      multivariate: {
        variants: [
          { key: 'control', rollout_percentage: 50 },
          { key: 'treatment', rollout_percentage: 50 },
        ],
      },
    },
  });
  await server.api('POST', `${PROJECT}/routes`, {
    key: 'chat',
    flag: 'chat-model',
    variants: { control: 'baseline@1.0.0', treatment: 'candidate@1.0.0' },
    default: 'baseline@1.0.0',
  });
  await server.api('POST', `${PROJECT}/routes`, {
    key: 'flaky',
    flag: 'chat-model',
    variants: { control: 'broken@1.0.0', treatment: 'broken@1.0.0' },
    default: 'baseline@1.0.0',
  });
  openai = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: server.projectKey, maxRetries: 2 });
});

after(async () => {
  await server?.stop();
  await upstream?.stop();
});

describe('openai client through the gateway', () => {
  test('chat completion with the assignment /api/v1/evaluate gives', async () => {
    for (const user of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) {
      const { data, response } = await openai.chat.completions
        .create({ model: 'route:chat', user, messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 })
        .withResponse();
      assert.equal(data.object, 'chat.completion');
      assert.ok(data.choices[0].message.content.length > 0);
      assert.ok(data.usage.prompt_tokens > 0);
      const evaluated = await server.request('POST', '/api/v1/evaluate', { distinct_id: user, flags: ['chat-model'] },
        server.projectKey);
      const variant = evaluated.body.flags['chat-model'].variant;
      assert.equal(response.headers.get('x-switchyard-variant'), variant);
      assert.equal(response.headers.get('x-switchyard-model'),
        variant === 'control' ? 'baseline@1.0.0' : 'candidate@1.0.0');
    }
  });

  test('streaming arrives chunk by chunk; usage only when asked for', async () => {
    const quiet = await openai.chat.completions.create({
      model: 'route:chat', user: 'alice', stream: true, messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    let chunks = 0;
    let sawUsage = false;
    for await (const chunk of quiet) {
      chunks += 1;
      if (chunk.usage) sawUsage = true;
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    assert.ok(chunks > 2, `only ${chunks} chunks`);
    assert.ok(text.length > 0);
    assert.equal(sawUsage, false, 'the gateway asked for usage; the client did not');

    const asking = await openai.chat.completions.create({
      model: 'route:chat', user: 'alice', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    let usage = null;
    for await (const chunk of asking) if (chunk.usage) usage = chunk.usage;
    assert.ok(usage && usage.completion_tokens > 0);
  });

  test('a failing model falls back to the default and the client does not retry on top', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'route:flaky', user: 'alice', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(response.headers.get('x-switchyard-model'), 'baseline@1.0.0');
    assert.equal(response.headers.get('x-should-retry'), 'false');
  });

  test('errors are OpenAI errors the client understands', async () => {
    await assert.rejects(
      openai.chat.completions.create({ model: 'route:missing', messages: [{ role: 'user', content: 'hi' }] }),
      (err) => err instanceof OpenAI.NotFoundError && err.code === 'model_not_found' && err.param === 'model',
    );
    const wrongKey = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: 'sy_proj_wrong', maxRetries: 0 });
    await assert.rejects(
      wrongKey.chat.completions.create({ model: 'route:chat', messages: [] }),
      (err) => err instanceof OpenAI.AuthenticationError,
    );
  });

  test('embeddings pass through and the model list shows the routes', async () => {
    // encoding_format given: the fake upstream answers floats only (the client asks for base64 by default).
    const embedding = await openai.embeddings.create({
      model: 'route:chat', input: 'hello', user: 'alice', encoding_format: 'float',
    });
    assert.ok(embedding.data[0].embedding.length > 0);
    const models = [];
    for await (const model of openai.models.list()) models.push(model.id);
    assert.deepEqual(models.sort(), ['route:chat', 'route:flaky']);
  });

  // Last: it adds a route, which the model list above does not expect.
  test('a request the client aborts is abandoned upstream and recorded as client_disconnected', async () => {
    await register('hanging', 'hang');  // never answers
    await server.api('POST', `${PROJECT}/routes`, { key: 'hangs', flag: 'chat-model', default: 'hanging@1.0.0' });
    const controller = new AbortController();
    const asking = openai.chat.completions.create(
      { model: 'route:hangs', user: 'leaver', messages: [{ role: 'user', content: 'hi' }] },
      { signal: controller.signal, maxRetries: 0 },
    );
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(asking, (err) => err instanceof OpenAI.APIUserAbortError);
    // Without cancellation the call would end only at the upstream's 30 s first-byte timeout
    // (after the waiting below gives up), and as a timeout.
    const [call] = await waitForEvents(
      server, { event: '$ai_generation', distinct_id: 'leaver' }, (events) => events.length === 1,
      'the abandoned call');
    assert.equal(call.properties.error_type, 'client_disconnected');
    assert.equal(call.properties.$ai_http_status, 499);
  });
});
