// POST /api/v1/evaluate: the hot path. One snapshot load, one person lookup (the in-memory cache,
// else a store read on the worker pool), one pass of the engine; nothing here takes a lock that a
// writer holds, and a cached user is answered without leaving the I/O thread.
#include <chrono>
#include <functional>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/evaluate_request.h"
#include "server/evaluation_inputs.h"
#include "server/evaluation_json.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

// Evaluate bodies are small (an id, a few properties); a larger one is refused before it is read.
constexpr size_t kMaxEvaluateBodyBytes = 64 * 1024;

// From the cache, else from the store on the worker pool (then cached).
net::awaitable<Result<PersonCache::Properties>> StoredProperties(ServerContext& ctx, std::int64_t project_id,
                                                                 const std::string& distinct_id) {
  if (ctx.persons != nullptr) {
    if (auto cached = ctx.persons->Lookup(project_id, distinct_id)) co_return std::move(*cached);
  }
  std::uint64_t generation = ctx.persons != nullptr ? ctx.persons->Generation() : 0;
  Result<PersonCache::Properties> read = Status::Internal("not read");
  std::function<void()> job = [&] { read = ReadStoredProperties(ctx.store, project_id, distinct_id); };
  if (ctx.workers == nullptr) {
    job();
  } else {
    // Named, not a temporary inside the co_await: GCC 12 can destroy such temporaries twice.
    auto on_worker = ctx.workers->Execute(std::move(job));
    bool ran = co_await std::move(on_worker);
    if (!ran) co_return Status::Unavailable("the server's worker pool is full; retry shortly");
  }
  if (read.ok() && ctx.persons != nullptr) ctx.persons->Insert(project_id, distinct_id, *read, generation);
  co_return read;
}

net::awaitable<Response> Evaluate(ServerContext& ctx, RequestContext& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) co_return BadJsonResponse(body.status());
  auto request = ParseEvaluateRequest(std::move(*body));
  if (!request.ok()) co_return ErrorResponse(request.status());
  auto where = EvaluationWhere(ctx.store, req.principal(), request->project, request->environment);
  if (!where.ok()) co_return ErrorResponse(where.status());

  auto stored = co_await StoredProperties(ctx, where->project_id, request->distinct_id);
  if (!stored.ok()) co_return PersonReadFailedResponse(stored.status());
  EvaluationContext context =
      MergedContext(std::move(request->distinct_id), *stored, std::move(request->properties));
  if (!request->groups.empty()) {
    // Only requests that name groups pay for reading the project's group types and groups.
    Result<std::map<int, EvaluationGroup>> groups = Status::Internal("not read");
    std::function<void()> job = [&] {
      groups = ResolveGroups(ctx.store, where->project_id, request->groups);
    };
    if (ctx.workers == nullptr) {
      job();
    } else {
      auto on_worker = ctx.workers->Execute(std::move(job));
      bool ran = co_await std::move(on_worker);
      if (!ran)
        co_return PersonReadFailedResponse(
            Status::Unavailable("the server's worker pool is full; retry shortly"));
    }
    if (!groups.ok()) co_return PersonReadFailedResponse(groups.status());
    context.groups = std::move(*groups);
  }

  auto snapshot = ctx.snapshots.Get(where->environment_id);
  std::vector<FlagResult> results =
      request->flags ? snapshot->EvaluateSome(*request->flags, context) : snapshot->EvaluateAll(context);
  if (ctx.experiment_gate != nullptr)
    ctx.experiment_gate->Apply(where->environment_id, *snapshot, context, results);
  if (ctx.counters != nullptr)
    ctx.counters->Record(where->environment_id, results, std::chrono::system_clock::now());
  Response response;
  response.body = EvaluationResponseJson(context.distinct_id, results);
  co_return response;
}

}  // namespace

void RegisterEvaluateRoutes(Router& router, ServerContext& ctx) {
  const RoutePolicy policy = EvaluationRoutePolicy(kMaxEvaluateBodyBytes);
  router.AddAsync("POST", "/api/v1/evaluate", Access::kProject,
                  "Evaluate all (or the named) flags for a user: values, variants, payloads, reasons", policy,
                  [&ctx](RequestContext& req) { return Evaluate(ctx, req); });
}

}  // namespace switchyard::server
