// Flag lifecycle: archive / unarchive, the stale report, and scheduled changes. Archiving is a
// change of the shared record (every environment at once), so these routes take no
// ?environment= except the stale report, which judges one environment.
#include <charconv>

#include "core/abbreviate.h"
#include "core/date_value.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/evaluation_counters.h"
#include "server/flag_schedule_change.h"
#include "server/handler_support.h"
#include "server/list_page.h"
#include "server/stale_flags.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

// A schedule "at" may be this far in the past when it arrives: a client that computes "now + 0"
// or whose clock is a little behind the server's still schedules "now" rather than failing.
constexpr std::chrono::seconds kScheduleGrace{60};
constexpr std::int64_t kMaxStaleDays = 36500;

// Flag keys of the flags (other than `key`, and not archived) that use `key` as a prerequisite
// in any environment.
std::vector<std::string> Dependants(const std::vector<store::FlagRecord>& flags, const std::string& key) {
  std::vector<std::string> out;
  for (const store::FlagRecord& record : flags) {
    if (record.archived || record.flag.key == key) continue;
    bool uses = false;
    for (const auto& [environment, targeting] : record.environments) {
      for (const ConditionGroup& group : targeting.groups) {
        for (const PropertyFilter& filter : group.properties)
          uses = uses || (filter.type == FilterType::kFlag && filter.key == key);
      }
    }
    if (uses) out.push_back(record.flag.key);
  }
  return out;
}

Response SetArchived(ServerContext& ctx, RequestContext& req, bool archived) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = OptionalObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  for (const auto& [field, value] : body->items()) {
    if (field != "version") {
      return ErrorResponse(Status::InvalidArgument(
          "unknown field '" + core::Abbreviate(field, 64) + "'; expected version", field));
    }
  }
  auto version = BaseVersion(*body, req.request());
  if (!version.ok()) return ErrorResponse(version.status());
  const std::string key = req.Param("key");
  // Runs under FlagService's write lock, so no flag can start depending on this one between the
  // check and the write.
  auto change = [&](store::FlagRecord& record, const std::vector<store::Environment>&) -> Status {
    if (record.archived == archived) return Status::Ok();
    if (archived) {
      auto flags = ctx.store.ListFlags(project->id, {});
      if (!flags.ok()) return flags.status();
      std::vector<std::string> dependants = Dependants(*flags, key);
      if (!dependants.empty()) {
        std::string names;
        for (const std::string& name : dependants) names += (names.empty() ? "'" : ", '") + name + "'";
        return Status::Conflict("flag '" + key + "' is a prerequisite of " + names +
                                    ", which would then always see it off; archive or change those first",
                                "key");
      }
    }
    record.archived = archived;
    record.archived_at = archived ? store::NowTimestamp() : "";
    return Status::Ok();
  };
  auto result = ctx.flags.Update(project->id, key, *version, change, ActorOf(req));
  if (!result.ok()) return ErrorResponse(result.status());
  auto environments = ctx.store.ListEnvironments(project->id);
  if (!environments.ok()) return ErrorResponse(environments.status());
  json out = FlagRecordJson(result->record, *environments, std::nullopt);
  out["changed"] = result->changed;
  return JsonResponse(200, out);
}

Response StaleFlags(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  std::vector<store::Environment> environments;
  auto named = ResolveEnvironment(ctx, req, *project, &environments);
  if (!named.ok()) return ErrorResponse(named.status());
  auto days = IntQueryParam(req.request(), "days", 30, 0, kMaxStaleDays);
  if (!days.ok()) return InvalidQueryResponse(days.status());
  auto page = ReadPageRequest(req.request(), "stale");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  std::optional<store::Environment> environment = *named;
  for (const store::Environment& each : environments) {
    if (!environment && each.key == store::kPrimaryEnvironment) environment = each;
  }
  if (!environment) return ErrorResponse(store::EnvironmentNotFound(store::kPrimaryEnvironment));
  store::FlagQuery query;
  query.archived = false;
  auto flags = ctx.store.ListFlags(project->id, query);
  if (!flags.ok()) return ErrorResponse(flags.status());
  Result<std::map<std::string, store::FlagEvaluationStats>> evaluations =
      std::map<std::string, store::FlagEvaluationStats>{};
  if (ctx.counters != nullptr) {
    evaluations = ctx.counters->Read(ctx.store, environment->id);
  } else if (auto stored = ctx.store.ListFlagEvaluations(environment->id); stored.ok()) {
    for (auto& stats : *stored) evaluations->emplace(stats.flag_key, std::move(stats));
  } else {
    evaluations = stored.status();
  }
  if (!evaluations.ok()) return ErrorResponse(evaluations.status());
  const std::string cutoff =
      store::FormatTimestamp(std::chrono::system_clock::now() - std::chrono::days(*days));
  const std::vector<StaleFlag> stale = FindStaleFlags(*flags, environment->key, *evaluations, cutoff);
  std::optional<std::string> next;
  auto key_of = [](const StaleFlag& flag) -> const std::string& { return flag.key; };
  json out = json::array();
  for (const StaleFlag* flag : TakePage(stale, *page, key_of, &next)) out.push_back(StaleFlagJson(*flag));
  return PagedJsonResponse(
      req.request(), "stale",
      {{"environment", environment->key}, {"days", *days}, {"cutoff", cutoff}, {"flags", std::move(out)}},
      next);
}

json ScheduleJson(const store::FlagSchedule& schedule) {
  auto text_or_null = [](const std::string& text) { return text.empty() ? json() : json(text); };
  return {{"id", schedule.id},
          {"key", schedule.flag_key},
          {"environment", text_or_null(schedule.environment)},
          {"at", schedule.at},
          {"change", schedule.change},
          {"status", schedule.status},
          {"created_at", schedule.created_at},
          {"created_by", schedule.created_by},
          {"fired_at", text_or_null(schedule.fired_at)},
          {"result", text_or_null(schedule.result)}};
}

// {"at": RFC 3339, "environment"?: KEY, "change": {...}}
Result<store::FlagSchedule> ScheduleFromBody(const json& body,
                                             const std::vector<store::Environment>& environments) {
  for (const auto& [field, value] : body.items()) {
    if (field != "at" && field != "environment" && field != "change") {
      return Status::InvalidArgument(
          "unknown field '" + core::Abbreviate(field, 64) + "'; expected at, environment or change", field);
    }
  }
  store::FlagSchedule schedule;
  auto at = body.find("at");
  if (at == body.end() || !at->is_string())
    return Status::InvalidArgument("at (an RFC 3339 time, e.g. 2026-12-01T09:00:00Z) is required", "at");
  std::optional<core::Micros> when = core::ParseIsoDateTime(at->get<std::string>());
  if (!when) {
    return Status::InvalidArgument("at must be an RFC 3339 time such as 2026-12-01T09:00:00Z, not '" +
                                       core::Abbreviate(at->get<std::string>(), 64) + "'",
                                   "at");
  }
  const auto now = std::chrono::system_clock::now();
  if (*when < now - kScheduleGrace) {
    return Status::InvalidArgument(
        "at is in the past (the server's time is " + store::FormatTimestamp(now) + ")", "at");
  }
  schedule.at =
      store::FormatTimestamp(std::chrono::time_point_cast<std::chrono::system_clock::duration>(*when));
  if (auto environment = body.find("environment"); environment != body.end() && !environment->is_null()) {
    const bool known = environment->is_string() &&
                       std::any_of(environments.begin(), environments.end(),
                                   [&](const store::Environment& e) { return e.key == *environment; });
    if (!known)
      return Status::InvalidArgument("environment must name one of the project's environments",
                                     "environment");
    schedule.environment = environment->get<std::string>();
  }
  auto change = body.find("change");
  if (change == body.end()) {
    return Status::InvalidArgument(
        "change ({\"active\": true|false} or {\"rollout_percentage\": 0..100}) is required", "change");
  }
  if (Status s = ValidateScheduleChange(*change); !s.ok()) return s;
  schedule.change = *change;
  return schedule;
}

Response CreateSchedule(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto environments = ctx.store.ListEnvironments(project->id);
  if (!environments.ok()) return ErrorResponse(environments.status());
  auto schedule = ScheduleFromBody(*body, *environments);
  if (!schedule.ok()) return ErrorResponse(schedule.status());
  schedule->flag_key = req.Param("key");
  store::Actor actor = ActorOf(req);
  actor.environment = schedule->environment;
  auto stored = ctx.store.CreateFlagSchedule(project->id, *schedule, actor);
  if (!stored.ok()) return ErrorResponse(stored.status());
  return JsonResponse(201, ScheduleJson(*stored));
}

Response ListSchedules(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string key = req.Param("key");
  auto page = ReadPageRequest(req.request(), "schedules");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  auto schedules = ctx.store.ListFlagSchedules(project->id, key);
  if (!schedules.ok()) return ErrorResponse(schedules.status());
  // A deleted flag's schedules stay listed (a change that failed because the flag went says so).
  if (schedules->empty()) {
    if (auto flag = ctx.store.GetFlag(project->id, key); !flag.ok()) return ErrorResponse(flag.status());
  }
  std::optional<std::string> next;
  auto id_of = [](const store::FlagSchedule& schedule) { return IdPosition(schedule.id); };
  json out = json::array();
  for (const store::FlagSchedule* schedule : TakePage(*schedules, *page, id_of, &next))
    out.push_back(ScheduleJson(*schedule));
  return PagedJsonResponse(req.request(), "schedules", {{"schedules", std::move(out)}}, next);
}

Response CancelSchedule(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  const std::string& text = req.Param("id");
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0)
    return ErrorResponse(store::ScheduleNotFound(0));
  auto cancelled = ctx.store.CancelFlagSchedule(project->id, req.Param("key"), id, ActorOf(req));
  if (!cancelled.ok()) return ErrorResponse(cancelled.status());
  return JsonResponse(200, ScheduleJson(*cancelled));
}

}  // namespace

void RegisterFlagLifecycleRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/flags";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  // Registered before the flag routes: the first matching route wins, and "stale" would
  // otherwise be read as a flag key.
  router.Add("GET", base + "/stale", Access::kAdmin,
             "Flags unchanged at 0 %/100 % or not evaluated for N days (?days=30, ?environment=production)",
             AcceptingQuery({"days", "environment", "limit", "cursor"}), bind(StaleFlags));
  router.Add("POST", base + "/{key}/archive", Access::kAdmin,
             "Archive a flag: off everywhere, out of the default lists", AcceptingQuery({}),
             [&ctx](RequestContext& req) { return SetArchived(ctx, req, true); });
  router.Add("POST", base + "/{key}/unarchive", Access::kAdmin, "Unarchive a flag", AcceptingQuery({}),
             [&ctx](RequestContext& req) { return SetArchived(ctx, req, false); });
  router.Add("POST", base + "/{key}/schedules", Access::kAdmin,
             "Schedule a change (enable, disable, rollout) of a flag at a time", AcceptingQuery({}),
             bind(CreateSchedule));
  router.Add("GET", base + "/{key}/schedules", Access::kAdmin, "List a flag's scheduled changes (paged)",
             AcceptingQuery({"limit", "cursor"}), bind(ListSchedules));
  router.Add("DELETE", base + "/{key}/schedules/{id}", Access::kAdmin, "Cancel a pending scheduled change",
             AcceptingQuery({}), bind(CancelSchedule));
}

}  // namespace switchyard::server
