// Reading back what a client captured: the admin events API, polled until the expected events are
// stored (a capture SDK sends in the background, so "stored" is a state to wait for, not a moment).
const POLL_MS = 100;
const DEADLINE_MS = 20_000;

// Every stored event matching the query (event, distinct_id, uuid), following next_cursor.
export async function storedEvents(server, query, project = 'default') {
  const found = [];
  let cursor = null;
  do {
    const params = new URLSearchParams({ ...query, limit: '1000', ...(cursor ? { cursor } : {}) });
    const page = await server.api('GET', `/api/v1/projects/${project}/events?${params}`);
    found.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor);
  return found;
}

// Polls until `accept(events)` holds for the events matching the query; answers them. On the
// deadline it throws with what was stored, so a failure shows the difference.
export async function waitForEvents(server, query, accept, what = JSON.stringify(query)) {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const events = await storedEvents(server, query);
    if (accept(events)) return events;
    if (Date.now() > deadline) {
      throw new Error(`waiting for ${what}: ${events.length} stored: ${JSON.stringify(events.slice(0, 5))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

// Polls `probe` until it answers `expected` (deep-equal by JSON), for state that follows a write
// asynchronously (a person's properties after an $identify). Throws with the last answer.
export async function waitForValue(probe, expected, what) {
  const deadline = Date.now() + DEADLINE_MS;
  let last;
  for (;;) {
    last = await probe();
    if (JSON.stringify(last) === JSON.stringify(expected)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: expected ${JSON.stringify(expected)}, last ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
