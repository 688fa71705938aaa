// The local-evaluation definitions for back-end SDKs: GET /flags/definitions and PostHog's older
// GET /api/feature_flag/local_evaluation (flag_definitions.h has the shape). An admin or secret
// key in Authorization: Bearer; `token` (the project key the SDK was given) names the
// environment. The body is built once per (flag snapshot, experiments, group types, cohorts or
// not) and then served from memory on the I/O thread, with a weak ETag: If-None-Match -> 304.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/blocking_work.h"
#include "server/conditional_get.h"
#include "server/evaluation_inputs.h"
#include "server/event_pipeline.h"
#include "server/experiment_gate.h"
#include "server/flag_definitions.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

struct CachedDefinitions {
  std::shared_ptr<const FlagSet> snapshot;
  std::shared_ptr<const experiments::ExperimentSnapshot> experiments;
  std::uint64_t group_generation = 0;
  bool cohorts = false;
  std::shared_ptr<const std::string> body;
  std::string etag;
};

// One entry per (environment, with cohorts or not); an entry is rebuilt when any input changed.
class DefinitionsCache {
 public:
  std::optional<CachedDefinitions> Find(std::int64_t environment_id, bool cohorts) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find({environment_id, cohorts});
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void Put(std::int64_t environment_id, CachedDefinitions entry) {
    std::lock_guard lock(mutex_);
    entries_[{environment_id, entry.cohorts}] = std::move(entry);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::int64_t, bool>, CachedDefinitions> entries_;
};

// The environment the request reads: the `token` key's, which must belong to the caller's
// project (a secret key's token, when absent, is the secret key's own environment).
Result<EvaluationTarget> DefinitionsTarget(ServerContext& ctx, RequestContext& req) {
  const Principal& principal = req.principal();
  if (!principal.may_read_definitions()) {
    return Status::PermissionDenied(
        "reading flag definitions needs a secret key (sy_secret_..., POST /api/v1/projects/{project}/keys "
        "with \"scope\":\"secret\") or an admin key; project keys may only evaluate");
  }
  const std::string* token = req.request().QueryParam("token");
  if (token == nullptr || token->empty()) {
    if (principal.environment_id && principal.project_id) {
      return EvaluationTarget{*principal.project_id, *principal.environment_id};
    }
    return Status::InvalidArgument("token (the project key) is required with an admin key", "token");
  }
  auto owner = ctx.keys.Authenticate("Bearer " + *token);
  if (!owner.ok() || !owner->project_id || !owner->environment_id) {
    return Status::Unauthenticated("token is not a live project key");
  }
  if (principal.project_id && principal.project_id != owner->project_id) {
    return Status(StatusCode::kPermissionDenied, "the secret key and the token belong to different projects",
                  "token");
  }
  return EvaluationTarget{*owner->project_id, *owner->environment_id};
}

Response Answer(const RequestContext& req, const CachedDefinitions& entry) {
  Response response;
  response.headers.emplace_back("ETag", entry.etag);
  response.headers.emplace_back("Cache-Control", "private, no-cache");
  if (IfNoneMatchMatches(req.request().Header("if-none-match"), entry.etag)) {
    response.status = 304;
    return response;
  }
  response.body = *entry.body;
  return response;
}

net::awaitable<Response> Definitions(ServerContext& ctx, DefinitionsCache& cache, RequestContext& req) {
  auto target = DefinitionsTarget(ctx, req);
  if (!target.ok()) co_return ErrorResponse(target.status());
  const bool cohorts = req.request().QueryParam("send_cohorts") != nullptr;
  std::shared_ptr<const FlagSet> snapshot = ctx.snapshots.Get(target->environment_id);
  std::shared_ptr<const experiments::ExperimentSnapshot> experiments =
      ctx.experiment_gate != nullptr ? ctx.experiment_gate->directory().Current() : nullptr;
  const std::uint64_t group_generation = ctx.events != nullptr ? ctx.events->group_generation() : 0;

  if (auto hit = cache.Find(target->environment_id, cohorts)) {
    if (hit->snapshot == snapshot && hit->experiments == experiments &&
        hit->group_generation == group_generation) {
      co_return Answer(req, *hit);
    }
  }
  // A miss: the group types are a store read, on the worker pool.
  Result<std::vector<store::GroupType>> types = Status::Internal("not read");
  std::function<void()> job = [&] { types = ctx.store.ListGroupTypes(target->project_id); };
  auto run = RunBlocking(ctx, std::move(job));
  const Status ran = co_await std::move(run);
  if (!ran.ok()) co_return ErrorResponse(ran);
  if (!types.ok()) co_return ErrorResponse(types.status());
  std::set<std::string> server_only;
  if (experiments != nullptr) {
    for (const experiments::ActiveExperiment& active : experiments->all()) {
      if (active.environment_id == target->environment_id) server_only.insert(active.experiment.flag_key);
    }
  }
  CachedDefinitions entry{snapshot, experiments, group_generation, cohorts, nullptr, ""};
  auto body =
      std::make_shared<const std::string>(DefinitionsJson(*snapshot, *types, server_only, cohorts).dump());
  entry.etag = "W/" + DigestETag(*body);
  entry.body = std::move(body);
  cache.Put(target->environment_id, entry);
  co_return Answer(req, entry);
}

}  // namespace

void RegisterDefinitionsRoutes(Router& router, ServerContext& ctx) {
  auto cache = std::make_shared<DefinitionsCache>();
  RoutePolicy policy;
  policy.key_source = KeySource::kBearer;
  policy.execution = Execution::kAsync;
  policy.query = {"token", "send_cohorts"};
  auto handler = [&ctx, cache](RequestContext& req) { return Definitions(ctx, *cache, req); };
  router.AddAsync("GET", "/flags/definitions", Access::kProject,
                  "Flag definitions for local evaluation (PostHog SDKs; admin or secret key, ?token=)",
                  policy, handler);
  router.AddAsync("GET", "/api/feature_flag/local_evaluation", Access::kProject,
                  "The same definitions at PostHog's older path", policy, handler);
}

}  // namespace switchyard::server
