// RoutePolicy: what each route of the one route table declares about how it is called, so that
// the router applies authentication, body rules, CORS and the choice of thread in one place and
// no handler re-implements them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace switchyard::server {

enum class Access {
  kPublic,   // no key (health checks)
  kProject,  // a project key, or an admin key
  kAdmin,    // an admin key only
};

// Where the key may come from (for kProject / kAdmin routes).
enum class KeySource {
  kBearer,         // Authorization: Bearer <key>
  kBearerOrToken,  // also `token` / `api_key` in the query string or the JSON body, as PostHog SDKs send it
};

// Where the handler runs.
enum class Execution {
  kWorker,  // may block (SQLite reads and writes, fsync): runs on the bounded worker pool
  kInline,  // cheap and never blocks: runs on the I/O thread (health, evaluate's cached path)
  kAsync,   // the handler is a coroutine that suspends on its own (upstream calls, group commits)
};

struct RoutePolicy {
  KeySource key_source = KeySource::kBearer;
  Execution execution = Execution::kWorker;
  // Bodies are JSON (Content-Type application/json). Gzip (Content-Encoding: gzip) is accepted
  // only where a route says so; the decompressed size is bounded by max_body_bytes as well.
  bool accept_gzip = false;
  // 0: the server's max_body_bytes. Checked while the body is read, before it is buffered whole.
  std::size_t max_body_bytes = 0;
  // The handler reads the body piece by piece (RequestContext::Body, body_source.h) instead of
  // receiving it whole; the limit, gzip and the byte budget still apply. Needs an async handler.
  // A token in the body is then not looked for (query string or header only).
  bool stream_body = false;
  // Browsers may call it: CORS headers and preflight answers for the configured origins.
  bool cors = false;
  // The query parameters the route takes. On admin (management) routes any other, or one given
  // twice, is a 400 naming it, so a typo (`?actve=false`) is never silently ignored. Routes
  // that other clients call (evaluate, health) ignore what they do not know.
  std::vector<std::string> query;
  // The body comes from a PostHog SDK (posthog_body.h): any Content-Type; gzip by header or
  // `?compression=gzip-js`, base64, form `data=`; decoded within max_body_bytes before the handler
  // (and the token lookup) sees it. accept_gzip is implied. Not with stream_body.
  bool posthog_body = false;
  // The handler waits on work that is pointless once the client has gone (an upstream model
  // call): the transport watches the connection while it runs and raises Request::cancel when
  // the client closes it (EOF or reset). Bytes of a pipelined next request end the watch instead.
  // Async routes whose requests carry a body; not with stream_body.
  bool cancel_on_disconnect = false;
};

// A policy with the defaults and these query parameters: `Add(..., AcceptingQuery({"tag", "q"}), ...)`.
inline RoutePolicy AcceptingQuery(std::vector<std::string> names) {
  RoutePolicy policy;
  policy.query = std::move(names);
  return policy;
}

}  // namespace switchyard::server
