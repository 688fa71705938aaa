// PostHog's capture endpoints (/batch, /capture, /e, /i/v0/e): the bodies posthog-node and
// posthog-js send (a batch object, one event, or an array of events; gzip, base64 or form-encoded,
// decoded by the router, posthog_body.h), each event mapped by posthog_event.h into the same
// durable pipeline as POST /api/v1/events, answered 200 {"status": 1} once committed.
#include <chrono>
#include <utility>

#include "events/event.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/posthog_event.h"
#include "server/posthog_fast_batch.h"
#include "server/wall_clock.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;
using nlohmann::json;

// posthog-js's `_` query parameter (ms since the epoch), when it holds a time.
std::optional<std::int64_t> SentAtQuery(const Request& request) {
  if (const std::string* param = request.QueryParam("_")) {
    try {
      std::size_t used = 0;
      long long ms = std::stoll(*param, &used);
      if (used == param->size() && ms >= events::kMinTimestampMs) return ms;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// When the client sent the request: the batch's `sent_at`, else SentAtQuery. Only used to correct
// clock skew, so a malformed one is ignored.
std::optional<std::int64_t> SentAt(const json& body, const Request& request) {
  if (body.is_object()) {
    auto sent_at = body.find("sent_at");
    if (sent_at != body.end() && sent_at->is_string())
      return events::ParseTimestampMs(sent_at->get<std::string>());
  }
  return SentAtQuery(request);
}

Response Invalid(EventPipeline& pipeline, const Status& status) {
  pipeline.CountRejection(EventRejection::kInvalid);
  return ErrorResponse(400, "invalid_event", status.message(), status.field());
}

net::awaitable<Response> Capture(ServerContext& ctx, RequestContext& req) {
  if (ctx.events == nullptr) {
    co_return ErrorResponse(503, "unavailable", "event ingestion is not running on this server");
  }
  EventPipeline& pipeline = *ctx.events;
  if (req.principal().is_admin()) {
    co_return ErrorResponse(
        Status(StatusCode::kPermissionDenied,
               "send events with a project key: it names the project and environment they "
               "belong to"));
  }
  const events::EventOrigin origin{*req.principal().project_id, req.principal().environment_id.value_or(0),
                                   NowMs()};
  if (auto fast = ReadPostHogBatchFast(req.request().body, origin, SentAtQuery(req.request()))) {
    Status committed = co_await pipeline.Append(fast->batch, fast->bytes);
    if (!committed.ok()) co_return ErrorResponse(committed);
    co_return JsonResponse(200, json{{"status", 1}});
  }
  // Anything the fast path does not take outright is decided, and its errors worded, here.
  auto body = req.JsonBody();
  if (!body.ok()) {
    pipeline.CountRejection(EventRejection::kMalformed);
    co_return BadJsonResponse(body.status());
  }
  const std::optional<std::int64_t> sent_at = SentAt(*body, req.request());

  // {"batch": [...]} (posthog-node, /batch), [...] (posthog-js), or one event.
  json single = json::array();
  json* items = &*body;
  std::string prefix = "batch";
  if (body->is_object() && body->contains("batch")) {
    items = &(*body)["batch"];
    if (!items->is_array())
      co_return Invalid(pipeline, Status::InvalidArgument("batch must be an array", "batch"));
  } else if (body->is_object()) {
    single.push_back(std::move(*body));
    items = &single;
    prefix.clear();
  } else if (!body->is_array()) {
    co_return Invalid(pipeline, Status::InvalidArgument("the body must be an event, an array of events or "
                                                        "{\"batch\": [...]}",
                                                        "body"));
  }
  if (items->empty())
    co_return Invalid(pipeline, Status::InvalidArgument("the batch holds no events", "batch"));
  if (items->size() > events::kMaxBatchEvents) {
    pipeline.CountRejection(EventRejection::kTooLarge);
    co_return ErrorResponse(
        413, "payload_too_large",
        "a request may carry at most " + std::to_string(events::kMaxBatchEvents) + " events", "batch");
  }

  events::EventBatch batch;
  batch.events.reserve(items->size());
  events::UuidV7Generator uuids;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = prefix.empty() ? std::string() : prefix + "[" + std::to_string(i) + "]";
    auto event = PostHogEventFromJson((*items)[i], path, origin, sent_at, uuids);
    if (!event.ok()) co_return Invalid(pipeline, event.status());
    bytes += EventFootprint(*event);
    batch.events.push_back(std::move(*event));
  }
  Status committed = co_await pipeline.Append(batch, bytes);
  if (!committed.ok()) co_return ErrorResponse(committed);
  co_return JsonResponse(200, json{{"status", 1}});
}

}  // namespace

void RegisterPostHogCaptureRoutes(Router& router, ServerContext& ctx) {
  RoutePolicy policy;
  policy.key_source = KeySource::kBearerOrToken;
  policy.cors = true;
  policy.posthog_body = true;
  policy.max_body_bytes = events::kMaxEventsBodyBytes;
  for (const char* path : {"/batch", "/capture", "/e", "/i/v0/e"}) {
    router.AddAsync("POST", path, Access::kProject,
                    "PostHog capture: a batch, one event or an array; gzip, gzip-js, base64 or form data=; "
                    "200 {\"status\":1} once committed",
                    policy, [&ctx](RequestContext& req) { return Capture(ctx, req); });
  }
}

}  // namespace switchyard::server
