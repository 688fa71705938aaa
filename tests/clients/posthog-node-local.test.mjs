// posthog-node's LOCAL evaluation (personalApiKey + onlyEvaluateLocally) from Switchyard's flag
// definitions (GET /flags/definitions, the wire format posthog-node 5.70.0 reads) must agree with
// Switchyard's remote answer for every user and flag. The flags span every operator
// @posthog/core's local matcher evaluates (exact, is_not, is_set, is_not_set, icontains,
// not_icontains, starts_with, not_starts_with, ends_with, not_ends_with, regex, not_regex, gt, gte,
// lt, lte, is_date_before, is_date_after, the nine semver operators), cohorts (in, not_in), flag
// dependencies (flag_evaluates_to, on a boolean and on a variant), rollouts, variant overrides and
// payloads. The definitions are read with an admin key.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PostHog } from 'posthog-node';

import { startServer } from './support/server.mjs';

const PROJECT = '/api/v1/projects/default';
const USERS = 5_000;
const BATCH = 1_000; // POST /api/v1/evaluate/batch's limit

const person = (key, operator, value) => ({ key, type: 'person', operator, value });
const group = (properties, extra = {}) => ({ properties, ...extra });
const variants = (...pairs) => ({
  variants: pairs.map(([key, rollout_percentage]) => ({ key, rollout_percentage })),
});

const cohorts = [
  {
    id: 'power-users',
    name: 'Power users',
    filters: {
      groups: [group([person('plan', 'exact', 'enterprise')]), group([person('age', 'gt', 50), person('score', 'gte', 80)])],
    },
  },
];

const flags = [
  { key: 'plan-exact', filters: { groups: [group([person('plan', 'exact', ['pro', 'enterprise'])])], payloads: { true: '{"tier":"paid"}' } } },
  { key: 'plan-is-not', filters: { groups: [group([person('plan', 'is_not', 'free')], { rollout_percentage: 60 })] } },
  { key: 'nickname-set', filters: { groups: [group([person('nickname', 'is_set', 'is_set')])] } },
  { key: 'nickname-not-set', filters: { groups: [group([person('nickname', 'is_not_set', 'is_not_set')])] } },
  { key: 'email-icontains', filters: { groups: [group([person('email', 'icontains', 'EXAMPLE.com')])] } },
  { key: 'email-not-icontains', filters: { groups: [group([person('email', 'not_icontains', 'test')], { rollout_percentage: 75 })] } },
  {
    key: 'email-affixes',
    filters: {
      groups: [
        group([person('email', 'starts_with', 'ann')]),
        group([person('email', 'ends_with', '.ORG'), person('email', 'not_starts_with', 'bob')]),
        group([person('email', 'not_ends_with', '.com'), person('country', 'exact', 'JP')]),
      ],
    },
  },
  { key: 'email-regex', filters: { groups: [group([person('email', 'regex', '^[a-z]+[0-9]*@example\\.(com|org)$')])] } },
  { key: 'country-not-regex', filters: { groups: [group([person('country', 'not_regex', '^(US|CA)$')])] } },
  { key: 'age-gt', filters: { groups: [group([person('age', 'gt', 30)])] } },
  { key: 'score-gte', filters: { groups: [group([person('score', 'gte', '50')])] } },
  { key: 'age-lt', filters: { groups: [group([person('age', 'lt', 18)])] } },
  { key: 'age-lte-rollout', filters: { groups: [group([person('age', 'lte', 65)], { rollout_percentage: 50 })] } },
  { key: 'signup-before', filters: { groups: [group([person('signed_up', 'is_date_before', '2025-06-01')])] } },
  { key: 'signup-after', filters: { groups: [group([person('signed_up', 'is_date_after', '-400d')])] } },
  {
    key: 'app-semver-range',
    filters: { groups: [group([person('app_version', 'semver_gte', '2.1.0'), person('app_version', 'semver_lt', '3.0.0')])] },
  },
  {
    key: 'app-semver-tilde-caret',
    filters: { groups: [group([person('app_version', 'semver_tilde', '1.4.0')]), group([person('app_version', 'semver_caret', '3.0.0')])] },
  },
  {
    key: 'app-semver-wildcard-eq',
    filters: { groups: [group([person('app_version', 'semver_wildcard', '2.*')]), group([person('app_version', 'semver_eq', '1.0.0')])] },
  },
  {
    key: 'app-semver-gt-lte-neq',
    filters: {
      groups: [
        group([
          person('app_version', 'semver_gt', '0.9.0'),
          person('app_version', 'semver_lte', '1.9.9'),
          person('app_version', 'semver_neq', '1.4.2'),
        ]),
      ],
    },
  },
  {
    key: 'checkout',
    filters: {
      groups: [
        group([person('country', 'exact', 'NZ')], { variant: 'wizard' }),
        group([person('plan', 'is_not', 'free')], { rollout_percentage: 70 }),
        group([], { rollout_percentage: 20 }),
      ],
      multivariate: variants(['control', 34], ['one-page', 33], ['wizard', 33]),
      payloads: { control: '{"steps":3}', 'one-page': '{"steps":1}', wizard: '{"steps":5,"skippable":true}' },
    },
  },
  {
    key: 'cohort-in',
    filters: {
      groups: [group([{ key: 'power-users', type: 'cohort', operator: 'in', value: 'power-users' }])],
      multivariate: variants(['gold', 50], ['platinum', 50]),
      payloads: { gold: '{"discount":10}', platinum: '{"discount":25}' },
    },
  },
  {
    key: 'cohort-not-in',
    filters: { groups: [group([{ key: 'power-users', type: 'cohort', operator: 'not_in', value: 'power-users' }], { rollout_percentage: 40 })] },
  },
  {
    key: 'depends-on-flags',
    filters: {
      groups: [
        group([{ key: 'plan-exact', type: 'flag', operator: 'flag_evaluates_to', value: true }, person('age', 'gte', 40)]),
        group([{ key: 'checkout', type: 'flag', operator: 'flag_evaluates_to', value: 'wizard' }]),
      ],
    },
  },
  { key: 'switched-off', active: false, filters: { groups: [group([])] } },
];

// Person properties of user i: every value kind the operators read, mixed so each flag both
// matches and misses. A fifth of the users have no nickname at all. None has a property set to
// null: posthog-node counts a null as set (is_set matches it) while Switchyard, like PostHog's
// server, counts it as not set, so the two cannot agree on it by design.
const PLANS = ['free', 'pro', 'enterprise', 'team', 'Pro', 'FREE'];
const COUNTRIES = ['NZ', 'US', 'CA', 'DE', 'JP', 'BR', 'us'];
const DOMAINS = ['example.com', 'Example.COM', 'example.org', 'test.net', 'mail.org', 'corp.com'];
const NAMES = ['ann', 'bob', 'carol', 'dave', 'erin', 'annabel', 'zoe'];
const VERSIONS = ['1.0.0', '1.4.0', '1.4.2', '1.4.9', '1.5.0', '2.0.0', '2.1.0', '2.3.1', '2.9.9', '3.0.0', '3.2.1', '4.0.0', '0.9.1', '0.9.0', '1.9.9'];
const DAY_MS = 86_400_000;
const FIRST_SIGNUP = Date.parse('2024-01-01T09:30:00Z');

function personProperties(i) {
  const properties = {
    plan: PLANS[i % PLANS.length],
    country: COUNTRIES[(i * 3) % COUNTRIES.length],
    email: `${NAMES[i % NAMES.length]}${i % 4 === 0 ? '' : i}@${DOMAINS[(i * 5) % DOMAINS.length]}`,
    age: (i * 13) % 90,
    score: (i * 37) % 101,
    signed_up: new Date(FIRST_SIGNUP + ((i * 17) % 1_000) * DAY_MS).toISOString(),
    app_version: VERSIONS[(i * 7) % VERSIONS.length],
  };
  if (i % 10 === 3) properties.age = String(properties.age); // numbers as text, as forms send them
  if (i % 5 !== 0) properties.nickname = `nick-${i}`;
  return properties;
}

// The flags whose local answer needs `nickname`: posthog-node cannot decide them for a user
// without it (it would ask the server), so onlyEvaluateLocally leaves them out for those users.
const NEEDS_NICKNAME = new Set(['nickname-set', 'nickname-not-set']);

let server;
let posthog;

before(async () => {
  server = await startServer();
  for (const cohort of cohorts) await server.api('POST', `${PROJECT}/cohorts`, cohort);
  for (const flag of flags) await server.api('POST', `${PROJECT}/flags`, flag);
  posthog = new PostHog(server.projectKey, {
    host: server.baseUrl,
    personalApiKey: server.adminKey,
    featureFlagsPollingInterval: 600_000,
    flushInterval: 0,
  });
  assert.equal(await posthog.waitForLocalEvaluationReady(15_000), true, 'posthog-node loaded the definitions');
});

after(async () => {
  await posthog?.shutdown();
  await server?.stop();
});

// Switchyard's remote answer for users [from, to): POST /api/v1/evaluate/batch, NDJSON in order.
async function serverAnswers(users) {
  const response = await fetch(`${server.baseUrl}/api/v1/evaluate/batch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.projectKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ users }),
  });
  assert.equal(response.status, 200);
  return (await response.text()).trim().split('\n').map((line) => JSON.parse(line));
}

test('the definitions posthog-node reads hold every flag', async () => {
  const response = await fetch(`${server.baseUrl}/flags/definitions?token=${server.projectKey}&send_cohorts`, {
    headers: { Authorization: `Bearer ${server.adminKey}` },
  });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.deepEqual(body.flags.map((flag) => flag.key).sort(), flags.map((flag) => flag.key).sort());
});

test(`local evaluation agrees with the server for ${USERS} users x ${flags.length} flags`, async () => {
  const mismatches = [];
  const undecided = [];
  const seen = Object.fromEntries(flags.map((flag) => [flag.key, new Set()]));
  let compared = 0;
  for (let from = 0; from < USERS; from += BATCH) {
    const users = [];
    for (let i = from; i < Math.min(from + BATCH, USERS); i++) {
      users.push({ distinct_id: `local-user-${i}`, properties: personProperties(i) });
    }
    const answers = await serverAnswers(users);
    assert.equal(answers.length, users.length);
    for (const [index, user] of users.entries()) {
      const options = { personProperties: user.properties, onlyEvaluateLocally: true };
      const local = await posthog.getAllFlagsAndPayloads(user.distinct_id, options);
      for (const flag of flags) {
        const ours = answers[index].flags[flag.key];
        const value = local.featureFlags[flag.key];
        seen[flag.key].add(JSON.stringify(ours.value));
        if (value === undefined) {
          const allowed = NEEDS_NICKNAME.has(flag.key) && !('nickname' in user.properties);
          if (!allowed) undecided.push({ user: user.distinct_id, flag: flag.key, properties: user.properties });
          continue;
        }
        compared++;
        const payload = local.featureFlagPayloads[flag.key] ?? null;
        const want = { value: ours.value, payload: ours.enabled ? ours.payload : null };
        if (JSON.stringify({ value, payload }) !== JSON.stringify(want)) {
          mismatches.push({ user: user.distinct_id, flag: flag.key, local: { value, payload }, server: want, reason: ours.reason, properties: user.properties });
        }
      }
    }
  }
  assert.deepEqual(undecided.slice(0, 5), [], `${undecided.length} answers posthog-node could not decide locally`);
  assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} of ${compared} local answers differ from the server's`);
  // Agreement means something only if every flag both matched and missed somewhere.
  for (const flag of flags) {
    if (flag.active === false) assert.deepEqual([...seen[flag.key]], ['false']);
    else assert.ok(seen[flag.key].size >= 2, `${flag.key} only ever answered ${[...seen[flag.key]]}`);
  }
  assert.ok(compared >= USERS * 20, `${compared} comparisons`);
});
