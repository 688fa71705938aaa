// POST /api/v1/evaluate/batch: up to 1,000 users in one request, for back-end jobs and offline
// assignment exports. The whole body is checked first (a bad user is a 422 naming it before
// anything is sent), stored properties are read in one worker-pool job for every user the person
// cache misses, then the answer is streamed as NDJSON (batch_evaluation_stream.h).
#include <functional>
#include <utility>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/batch_evaluate_request.h"
#include "server/batch_evaluation_stream.h"
#include "server/blocking_work.h"
#include "server/evaluation_inputs.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

// Each user's stored properties: from the cache, and every miss in one job on the worker pool
// (one hop for the batch rather than one per user), then cached.
net::awaitable<Result<std::vector<PersonCache::Properties>>> StoredProperties(
    ServerContext& ctx, std::int64_t project_id, const std::vector<EvaluateRequest>& users) {
  std::vector<PersonCache::Properties> stored(users.size());
  std::vector<std::size_t> misses;
  for (std::size_t i = 0; i < users.size(); ++i) {
    std::optional<PersonCache::Properties> cached;
    if (ctx.persons != nullptr) cached = ctx.persons->Lookup(project_id, users[i].distinct_id);
    if (cached) {
      stored[i] = std::move(*cached);
    } else {
      misses.push_back(i);
    }
  }
  if (misses.empty()) co_return stored;
  std::uint64_t generation = ctx.persons != nullptr ? ctx.persons->Generation() : 0;
  Status failed;
  std::function<void()> job = [&] {
    for (std::size_t i : misses) {
      auto read = ReadStoredProperties(ctx.store, project_id, users[i].distinct_id);
      if (!read.ok()) {
        failed = read.status();
        return;
      }
      stored[i] = std::move(*read);
    }
  };
  auto run = RunBlocking(ctx, std::move(job));
  const Status ran = co_await std::move(run);
  if (!ran.ok()) co_return ran;
  if (!failed.ok()) co_return failed;
  if (ctx.persons != nullptr) {
    for (std::size_t i : misses) ctx.persons->Insert(project_id, users[i].distinct_id, stored[i], generation);
  }
  co_return stored;
}

net::awaitable<Response> EvaluateBatch(ServerContext& ctx, RequestContext& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) co_return BadJsonResponse(body.status());
  auto batch = ParseBatchEvaluateRequest(std::move(*body));
  if (!batch.ok()) co_return ErrorResponse(batch.status());
  auto where = EvaluationWhere(ctx.store, req.principal(), batch->project, batch->environment);
  if (!where.ok()) co_return ErrorResponse(where.status());

  auto stored = co_await StoredProperties(ctx, where->project_id, batch->users);
  if (!stored.ok()) co_return PersonReadFailedResponse(stored.status());
  std::vector<EvaluationContext> contexts;
  contexts.reserve(batch->users.size());
  for (std::size_t i = 0; i < batch->users.size(); ++i) {
    EvaluateRequest& user = batch->users[i];
    contexts.push_back(MergedContext(std::move(user.distinct_id), (*stored)[i], std::move(user.properties)));
  }
  Response response;
  response.content_type = "application/x-ndjson";
  auto stream = std::make_shared<BatchEvaluationStream>(ctx.snapshots.Get(where->environment_id),
                                                        std::move(contexts), std::move(batch->flags));
  stream->CountIn(ctx.counters, where->environment_id);
  stream->GateWith(ctx.experiment_gate, where->environment_id);
  response.stream = std::move(stream);
  co_return response;
}

}  // namespace

void RegisterBatchEvaluateRoutes(Router& router, ServerContext& ctx) {
  const RoutePolicy policy = EvaluationRoutePolicy(kMaxBatchBodyBytes);
  router.AddAsync("POST", "/api/v1/evaluate/batch", Access::kProject,
                  "Evaluate flags for up to 1,000 users; streams one NDJSON line per user", policy,
                  [&ctx](RequestContext& req) { return EvaluateBatch(ctx, req); });
}

}  // namespace switchyard::server
