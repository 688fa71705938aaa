// POST /api/v1/projects/{project}/cohorts/{id}/members: adds and removes distinct ids of a static
// cohort without sending the whole list back (a PUT of the cohort replaces it). The change is a
// versioned cohort write like any other (FlagService::ReplaceCohort: audited, snapshots
// republished), so two concurrent edits conflict (409) rather than lose members.
#include <set>
#include <string>
#include <vector>

#include "core/known_fields.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/flag_service.h"
#include "server/handler_support.h"
#include "switchyard/flag_json.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

constexpr core::KnownField kMemberChangeFields[] = {{"add"}, {"remove"}, {"version"}};

Result<std::vector<std::string>> IdList(const json& body, const char* name) {
  std::vector<std::string> out;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array())
    return Status::InvalidArgument(std::string(name) + " must be an array of distinct ids", name);
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& id = (*it)[i];
    if (!id.is_string()) {
      return Status::InvalidArgument("a distinct id must be a string",
                                     std::string(name) + "[" + std::to_string(i) + "]");
    }
    out.push_back(id.get<std::string>());
  }
  return out;
}

Response ChangeMembers(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", kMemberChangeFields); !s.ok()) return ErrorResponse(s);
  auto add = IdList(*body, "add");
  if (!add.ok()) return ErrorResponse(add.status());
  auto remove = IdList(*body, "remove");
  if (!remove.ok()) return ErrorResponse(remove.status());
  auto record = ctx.store.GetCohort(project->id, req.Param("id"));
  if (!record.ok()) return ErrorResponse(record.status());
  if (!record->cohort.is_static) {
    return ErrorResponse(Status::InvalidArgument(
        "cohort '" + record->cohort.id + "' is dynamic (conditions); only static cohorts have members",
        "id"));
  }
  std::int64_t version = record->version;
  if (auto given = body->find("version"); given != body->end()) {
    if (!given->is_number_integer())
      return ErrorResponse(Status::InvalidArgument("version must be an integer", "version"));
    version = given->get<std::int64_t>();
  }
  std::set<std::string> members(record->cohort.members.begin(), record->cohort.members.end());
  for (const std::string& id : *remove) members.erase(id);
  members.insert(add->begin(), add->end());
  // Parsed like a PUT body, so the same bounds and id checks apply.
  json next{{"id", record->cohort.id},
            {"name", record->cohort.name},
            {"is_static", true},
            {"members", std::vector<std::string>(members.begin(), members.end())}};
  auto cohort = CohortFromJson(next);
  if (!cohort.ok()) return ErrorResponse(cohort.status());
  auto written = ctx.flags.ReplaceCohort(project->id, *cohort, version, ActorOf(req));
  if (!written.ok()) return ErrorResponse(written.status());
  return JsonResponse(200, CohortRecordJson(*written));
}

}  // namespace

void RegisterCohortMemberRoutes(Router& router, ServerContext& ctx) {
  router.Add("POST", "/api/v1/projects/{project}/cohorts/{id}/members", Access::kAdmin,
             "Add and remove distinct ids of a static cohort", Bind(ctx, ChangeMembers));
}

}  // namespace switchyard::server
