// Event ingestion and the event log: POST /api/v1/events (one event or a batch, streamed in and
// checked whole before anything is queued), POST /api/v1/identify (person properties), both
// answered only once their group commit is durable (event_pipeline.h); and the admin listing
// GET /api/v1/projects/{project}/events.
#include <chrono>
#include <map>
#include <utility>

#include "core/bounded_json.h"
#include "core/json_object_writer.h"
#include "core/known_fields.h"
#include "events/event_body_reader.h"
#include "events/event_json.h"
#include "events/event_parser.h"
#include "events/uuid.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/body_source.h"
#include "server/handler_support.h"
#include "server/list_page.h"
#include "server/wall_clock.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;
using nlohmann::json;

constexpr std::size_t kMaxIdentifyBodyBytes = 256 * 1024;

Response NoPipeline() {
  return ErrorResponse(503, "unavailable", "event ingestion is not running on this server");
}

// Events and identifies belong to one project environment: the project key's.
std::optional<Response> RefuseAdminKey(const RequestContext& req) {
  if (!req.principal().is_admin()) return std::nullopt;
  return ErrorResponse(
      Status(StatusCode::kPermissionDenied,
             "send events with a project key: it names the project and environment they belong to"));
}

Response InvalidEvents(EventPipeline& pipeline, const std::vector<std::pair<std::size_t, Status>>& bad,
                       std::size_t total) {
  pipeline.CountRejection(EventRejection::kInvalid);
  json errors = json::array();
  for (const auto& [index, status] : bad) {
    errors.push_back({{"index", index}, {"field", status.field()}, {"message", status.message()}});
  }
  json error = {
      {"code", "invalid_argument"},
      {"message", std::to_string(bad.size()) + " of " + std::to_string(total) +
                      " events are invalid; none was stored (first: " + bad.front().second.message() + ")"},
      {"field", bad.front().second.field()},
      {"errors", std::move(errors)}};
  return JsonResponse(422, json{{"error", std::move(error)}});
}

Response Malformed(EventPipeline& pipeline, const std::string& message, const std::string& field = {}) {
  pipeline.CountRejection(EventRejection::kMalformed);
  return ErrorResponse(400, "invalid_json", message, field);
}

Response TooLarge(EventPipeline& pipeline, const std::string& message, const std::string& field) {
  pipeline.CountRejection(EventRejection::kTooLarge);
  return ErrorResponse(413, "payload_too_large", message, field);
}

// An event's approximate memory while queued, for the queue's byte bound.
std::size_t FootprintOf(const events::Event& event) {
  return sizeof(events::Event) + event.uuid.size() + event.event.size() + event.distinct_id.size() +
         event.properties.size();
}

// The answer to a committed batch. Written directly: as a nlohmann DOM of one string per event,
// then dumped, it was 6 % of ingestion's instructions (callgrind, batches of 500).
Response StoredResponse(const events::EventBatch& batch) {
  const auto received = static_cast<std::int64_t>(batch.events.size());
  const auto stored = static_cast<std::int64_t>(batch.stored);
  core::JsonObjectWriter answer(96 + batch.events.size() * 40);
  answer.Int("received", received);
  answer.Int("stored", stored);
  answer.Int("duplicates", received - stored);
  answer.StringArray("uuids", batch.events,
                     [](const events::Event& event) -> std::string_view { return event.uuid; });
  Response response;
  response.body = answer.Finish();
  return response;
}

net::awaitable<Response> PostEvents(ServerContext& ctx, RequestContext& req) {
  if (ctx.events == nullptr) co_return NoPipeline();
  if (auto refused = RefuseAdminKey(req)) co_return std::move(*refused);
  EventPipeline& pipeline = *ctx.events;
  const events::EventOrigin origin{*req.principal().project_id, req.principal().environment_id.value_or(0),
                                   NowMs()};

  events::EventBatch batch;
  std::size_t bytes = 0;
  std::vector<std::pair<std::size_t, Status>> bad;
  std::optional<std::string> unparsable;
  events::EventParser parser(origin);
  // Each event is parsed and checked as soon as its text is complete, and kept only in its
  // stored form: the body is never held whole, and a bad batch stops costing memory at once.
  const events::EventBodyReader* reading = nullptr;  // the reader below, for where properties sit
  events::EventBodyReader reader([&](std::size_t index, std::string_view text, bool oversized) {
    if (unparsable) return;
    const std::string path = "batch[" + std::to_string(index) + "]";
    if (oversized) {
      bad.emplace_back(index, Status::InvalidArgument("an event may be at most " +
                                                          std::to_string(events::kMaxEventTextBytes / 1024) +
                                                          " KiB of JSON",
                                                      path));
      return;
    }
    auto event = parser.Parse(text, path, reading->lone_nested_value());
    if (!event.ok()) {
      // An error without a field is text that is not JSON at all: the body is malformed.
      if (event.status().field().empty()) {
        unparsable = path + ": " + event.status().message();
      } else {
        bad.emplace_back(index, event.status());
      }
      return;
    }
    if (!bad.empty()) return;  // refused anyway: keep nothing more
    bytes += FootprintOf(*event);
    batch.events.push_back(std::move(*event));
  });
  reading = &reader;

  for (;;) {
    BodyChunk chunk = co_await req.Body().Read();
    if (!chunk.ok()) {
      if (chunk.error == BodyError::kTooLarge) pipeline.CountRejection(EventRejection::kTooLarge);
      co_return BodyErrorResponse(chunk);
    }
    if (chunk.end()) break;
    auto error = reader.Feed(chunk.data);
    if (error == events::EventBodyReader::Error::kTooManyEvents) {
      co_return TooLarge(pipeline, reader.message(), "batch");
    }
    if (error == events::EventBodyReader::Error::kMalformed)
      co_return Malformed(pipeline, reader.message(), "body");
    if (unparsable) co_return Malformed(pipeline, *unparsable, "body");
  }
  if (reader.Finish() != events::EventBodyReader::Error::kNone) {
    co_return Malformed(pipeline, reader.message(), "body");
  }

  if (reader.is_batch()) {
    if (!reader.members().empty()) {
      pipeline.CountRejection(EventRejection::kInvalid);
      co_return ErrorResponse(
          core::UnknownField(reader.members().front().first, "", core::kEventBatchFields));
    }
    if (!bad.empty()) co_return InvalidEvents(pipeline, bad, reader.events());
  } else {
    if (reader.members_oversized()) {
      co_return TooLarge(
          pipeline,
          "an event may be at most " + std::to_string(events::kMaxEventTextBytes / 1024) + " KiB of JSON",
          "body");
    }
    json object = json::object();
    for (const auto& [name, text] : reader.members()) {
      auto value = core::ParseBoundedJson(text);
      if (!value.ok()) co_return Malformed(pipeline, name + ": " + value.status().message(), "body");
      object[name] = std::move(*value);
    }
    auto event = events::EventFromJson(object, "", origin);
    if (!event.ok()) {
      pipeline.CountRejection(EventRejection::kInvalid);
      co_return ErrorResponse(event.status());
    }
    bytes += FootprintOf(*event);
    batch.events.push_back(std::move(*event));
  }

  if (!batch.events.empty()) {
    Status committed = co_await pipeline.Append(batch, bytes);
    if (!committed.ok()) co_return ErrorResponse(committed);
  }
  co_return StoredResponse(batch);
}

net::awaitable<Response> PostIdentify(ServerContext& ctx, RequestContext& req) {
  if (ctx.events == nullptr) co_return NoPipeline();
  if (auto refused = RefuseAdminKey(req)) co_return std::move(*refused);
  auto body = ObjectBody(req);
  if (!body.ok()) co_return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", core::kIdentifyFields); !s.ok()) co_return ErrorResponse(s);
  const json* id = body->contains("distinct_id") ? &(*body)["distinct_id"] : nullptr;
  if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > events::kMaxDistinctIdBytes) {
    co_return ErrorResponse(Status::InvalidArgument(
        "distinct_id must be a string of 1 to " + std::to_string(events::kMaxDistinctIdBytes) + " bytes",
        "distinct_id"));
  }
  store::PersonUpdate update;
  update.project_id = *req.principal().project_id;
  update.distinct_id = id->get<std::string>();
  for (const char* part : {"$set", "$set_once"}) {
    if (!body->contains(part) || (*body)[part].is_null()) continue;
    if (auto checked = events::CheckedProperties((*body)[part], part); !checked.ok()) {
      co_return ErrorResponse(checked.status());
    }
    (part == std::string_view("$set") ? update.set : update.set_once) = std::move((*body)[part]);
  }
  Status committed = co_await ctx.events->Identify(update, req.request().body.size() + sizeof update);
  if (!committed.ok()) co_return ErrorResponse(committed);
  co_return JsonResponse(200, json{{"distinct_id", update.distinct_id}});
}

// A query parameter that is an RFC 3339 date-time, in ms since the epoch.
Result<std::optional<std::int64_t>> TimeParam(const Request& request, const char* name) {
  const std::string* text = request.QueryParam(name);
  if (text == nullptr) return std::optional<std::int64_t>();
  auto ms = events::ParseTimestampMs(*text);
  if (!ms) {
    return Status::InvalidArgument(
        std::string(name) + " must be an RFC 3339 date-time, e.g. 2026-11-21T10:00:00Z", name);
  }
  return std::optional<std::int64_t>(*ms);
}

std::optional<std::string> TextParam(const Request& request, const char* name) {
  const std::string* text = request.QueryParam(name);
  return text == nullptr ? std::nullopt : std::optional<std::string>(*text);
}

Result<std::int64_t> SeqCursor(std::string_view list, const std::string& cursor, const char* field) {
  auto position = DecodeCursor(list, cursor);
  std::optional<std::int64_t> seq = position.ok() ? PositionId(*position) : std::nullopt;
  if (!seq) return Status::InvalidArgument(std::string(field) + " is not one this list returned", field);
  return *seq;
}

// The answer with next_cursor (and a Link to it) and head_cursor. The link keeps every filter,
// `before` included (PagedJsonResponse would drop it: elsewhere it is a position).
Response EventsPage(const Request& request, json body, const std::optional<std::int64_t>& next_seq,
                    std::int64_t head_seq) {
  std::optional<std::string> next;
  if (next_seq) next = EncodeCursor("events", IdPosition(*next_seq));
  body["next_cursor"] = next ? json(*next) : json();
  body["head_cursor"] = EncodeCursor("events-head", IdPosition(head_seq));
  Response response = JsonResponse(200, body);
  if (!next) return response;
  std::string link = request.path + "?";
  for (const auto& [name, value] : request.query) {
    if (name == "cursor") continue;
    link += PercentEncode(name) + "=" + PercentEncode(value) + "&";
  }
  response.headers.emplace_back("Link", "<" + link + "cursor=" + *next + ">; rel=\"next\"");
  return response;
}

Response ListEvents(ServerContext& ctx, RequestContext& req) {
  if (ctx.events == nullptr) return NoPipeline();
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const Request& request = req.request();
  auto limit = IntQueryParam(request, "limit", kDefaultPageLimit, 1, kMaxPageLimit);
  if (!limit.ok()) return InvalidQueryResponse(limit.status());
  events::EventQuery query;
  query.project_id = project->id;
  query.limit = static_cast<std::size_t>(*limit);
  query.event = TextParam(request, "event");
  query.distinct_id = TextParam(request, "distinct_id");
  if (auto uuid = TextParam(request, "uuid")) {
    auto canonical = events::CanonicalUuid(*uuid);
    if (!canonical) return InvalidQueryResponse(Status::InvalidArgument("uuid must be a UUID", "uuid"));
    query.uuid = *canonical;
  }
  auto after = TimeParam(request, "after");
  if (!after.ok()) return InvalidQueryResponse(after.status());
  auto before = TimeParam(request, "before");
  if (!before.ok()) return InvalidQueryResponse(before.status());
  query.after_ms = *after;
  query.before_ms = *before;
  const std::string* cursor = request.QueryParam("cursor");
  const std::string* since = request.QueryParam("since");
  if (cursor != nullptr && since != nullptr) {
    return InvalidQueryResponse(Status::InvalidArgument("give cursor or since, not both", "since"));
  }
  if (cursor != nullptr) {
    auto seq = SeqCursor("events", *cursor, "cursor");
    if (!seq.ok()) return InvalidQueryResponse(seq.status());
    query.before_seq = *seq;
  }
  if (since != nullptr) {
    auto seq = SeqCursor("events-head", *since, "since");
    if (!seq.ok()) return InvalidQueryResponse(seq.status());
    query.after_seq = *seq;
  }

  events::EventLog& log = ctx.events->log();
  // Read before the events: whatever committed up to here is in the answer or after the head.
  auto latest = log.LatestSeq(project->id);
  if (!latest.ok()) return ErrorResponse(latest.status());
  auto found = log.Query(query);
  if (!found.ok()) return ErrorResponse(found.status());
  auto environments = ctx.store.ListEnvironments(project->id);
  if (!environments.ok()) return ErrorResponse(environments.status());
  std::map<std::int64_t, std::string> environment_keys;
  for (const auto& each : *environments) environment_keys[each.id] = each.key;

  json out = json::array();
  std::int64_t newest = *latest;
  for (const auto& event : *found) {
    out.push_back(events::EventToJson(event, environment_keys[event.environment_id]));
    newest = std::max(newest, event.seq);
  }
  const bool full = found->size() == query.limit;
  std::optional<std::int64_t> next;
  std::int64_t head = newest;
  if (query.after_seq) {
    // Following: a full page may have more after it, so the head is the last event returned.
    // Otherwise the newest returned counts too: one committed between reading `latest` and the
    // query (they read on two connections) is in this answer, and must not be in the next.
    head = full ? found->back().seq : std::max(newest, *query.after_seq);
  } else if (full) {
    next = found->back().seq;
  }
  return EventsPage(request, json{{"events", std::move(out)}}, next, head);
}

}  // namespace

void RegisterEventRoutes(Router& router, ServerContext& ctx) {
  RoutePolicy ingest;
  ingest.key_source = KeySource::kBearerOrToken;  // streamed: a token in the query, not the body
  ingest.cors = true;
  ingest.accept_gzip = true;
  ingest.max_body_bytes = events::kMaxEventsBodyBytes;
  ingest.stream_body = true;
  router.AddAsync("POST", "/api/v1/events", Access::kProject,
                  "Ingest one event or a batch of up to 1,000; 200 once durably committed", ingest,
                  [&ctx](RequestContext& req) { return PostEvents(ctx, req); });

  RoutePolicy identify;
  identify.key_source = KeySource::kBearerOrToken;
  identify.cors = true;
  identify.accept_gzip = true;
  identify.max_body_bytes = kMaxIdentifyBodyBytes;
  router.AddAsync("POST", "/api/v1/identify", Access::kProject,
                  "Set person properties ($set, $set_once); 200 once committed", identify,
                  [&ctx](RequestContext& req) { return PostIdentify(ctx, req); });

  router.Add("GET", "/api/v1/projects/{project}/events", Access::kAdmin,
             "List stored events, newest first (filters; cursor, or since to follow)",
             AcceptingQuery({"event", "distinct_id", "uuid", "after", "before", "limit", "cursor", "since"}),
             Bind(ctx, ListEvents));
}

}  // namespace switchyard::server
