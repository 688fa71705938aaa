// The local-evaluation definitions for back-end SDKs: GET /flags/definitions and PostHog's older
// GET /api/feature_flag/local_evaluation (flag_definitions.h has the shape). An admin or secret
// key in Authorization: Bearer; `token` (the project key the SDK was given) names the
// environment. The body is built once per (flag snapshot, experiments, group types, cohorts or
// not) and then served from memory on the I/O thread (the route's inline attempt: no coroutine,
// no worker hop), with a weak ETag: If-None-Match -> 304. Only a miss runs the coroutine.
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
// Entries are immutable once made, so a reader holds one without the lock.
class DefinitionsCache {
 public:
  std::shared_ptr<const CachedDefinitions> Find(std::int64_t environment_id, bool cohorts) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find({environment_id, cohorts});
    if (it == entries_.end()) return nullptr;
    return it->second;
  }
  void Put(std::int64_t environment_id, std::shared_ptr<const CachedDefinitions> entry) {
    std::lock_guard lock(mutex_);
    entries_[{environment_id, entry->cohorts}] = std::move(entry);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::int64_t, bool>, std::shared_ptr<const CachedDefinitions>> entries_;
};

// What the cached body was built from, read now: an entry holding the same is current.
struct DefinitionsInputs {
  EvaluationTarget target;
  bool cohorts = false;
  std::shared_ptr<const FlagSet> snapshot;
  std::shared_ptr<const experiments::ExperimentSnapshot> experiments;
  std::uint64_t group_generation = 0;

  bool Matches(const CachedDefinitions& entry) const {
    return entry.snapshot == snapshot && entry.experiments == experiments &&
           entry.group_generation == group_generation;
  }
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
  auto owner = ctx.keys.AuthenticateKey(*token);
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

Result<DefinitionsInputs> ReadInputs(ServerContext& ctx, RequestContext& req) {
  auto target = DefinitionsTarget(ctx, req);
  if (!target.ok()) return target.status();
  DefinitionsInputs inputs;
  inputs.target = *target;
  inputs.cohorts = req.request().QueryParam("send_cohorts") != nullptr;
  inputs.snapshot = ctx.snapshots.Get(target->environment_id);
  inputs.experiments = ctx.experiment_gate != nullptr ? ctx.experiment_gate->directory().Current() : nullptr;
  inputs.group_generation = ctx.events != nullptr ? ctx.events->group_generation() : 0;
  return inputs;
}

// The inline attempt: an error, or the current cached body; nullopt when it must be built.
std::optional<Response> CachedAnswer(ServerContext& ctx, const DefinitionsCache& cache, RequestContext& req) {
  auto inputs = ReadInputs(ctx, req);
  if (!inputs.ok()) return ErrorResponse(inputs.status());
  auto hit = cache.Find(inputs->target.environment_id, inputs->cohorts);
  if (hit != nullptr && inputs->Matches(*hit)) return Answer(req, *hit);
  return std::nullopt;
}

net::awaitable<Response> Definitions(ServerContext& ctx, DefinitionsCache& cache, RequestContext& req) {
  auto read = ReadInputs(ctx, req);
  if (!read.ok()) co_return ErrorResponse(read.status());
  const DefinitionsInputs& inputs = *read;
  const EvaluationTarget* target = &inputs.target;
  auto hit = cache.Find(target->environment_id, inputs.cohorts);
  if (hit != nullptr && inputs.Matches(*hit)) co_return Answer(req, *hit);
  // A miss: the group types are a store read, on the worker pool.
  Result<std::vector<store::GroupType>> types = Status::Internal("not read");
  std::function<void()> job = [&] { types = ctx.store.ListGroupTypes(target->project_id); };
  auto run = RunBlocking(ctx, std::move(job));
  const Status ran = co_await std::move(run);
  if (!ran.ok()) co_return ErrorResponse(ran);
  if (!types.ok()) co_return ErrorResponse(types.status());
  std::set<std::string> server_only;
  if (inputs.experiments != nullptr) {
    for (const experiments::ActiveExperiment& active : inputs.experiments->all()) {
      if (active.environment_id == target->environment_id) server_only.insert(active.experiment.flag_key);
    }
  }
  auto entry = std::make_shared<CachedDefinitions>(CachedDefinitions{
      inputs.snapshot, inputs.experiments, inputs.group_generation, inputs.cohorts, nullptr, ""});
  auto body = std::make_shared<const std::string>(
      DefinitionsJson(*inputs.snapshot, *types, server_only, inputs.cohorts).dump());
  entry->etag = "W/" + DigestETag(*body);
  entry->body = std::move(body);
  cache.Put(target->environment_id, entry);
  co_return Answer(req, *entry);
}

}  // namespace

void RegisterDefinitionsRoutes(Router& router, ServerContext& ctx) {
  auto cache = std::make_shared<DefinitionsCache>();
  RoutePolicy policy;
  policy.key_source = KeySource::kBearer;
  policy.execution = Execution::kAsync;
  policy.query = {"token", "send_cohorts"};
  auto handler = [&ctx, cache](RequestContext& req) { return Definitions(ctx, *cache, req); };
  auto cached = [&ctx, cache](RequestContext& req) { return CachedAnswer(ctx, *cache, req); };
  router.AddAsync("GET", "/flags/definitions", Access::kProject,
                  "Flag definitions for local evaluation (PostHog SDKs; admin or secret key, ?token=)",
                  policy, handler, cached);
  router.AddAsync("GET", "/api/feature_flag/local_evaluation", Access::kProject,
                  "The same definitions at PostHog's older path", policy, handler, cached);
}

}  // namespace switchyard::server
