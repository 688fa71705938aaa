// Persons: stored properties per project, merged under the request's properties at evaluation.
// PATCH takes PostHog's verbs ($set, $set_once, $unset) so that events can feed the same path.
#include "core/known_fields.h"
#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/handler_support.h"
#include "server/list_page.h"

namespace switchyard::server {
namespace {

constexpr size_t kMaxDistinctIdLength = 400;

Status CheckDistinctId(const std::string& id) {
  if (id.empty() || id.size() > kMaxDistinctIdLength) {
    return Status::InvalidArgument("distinct_id must be 1 to 400 characters", "distinct_id");
  }
  return Status::Ok();
}

// After every person write, whatever its outcome: evaluation must not serve what was replaced.
// A merged person is cached under each of its ids: forget them all.
void ForgetCached(ServerContext& ctx, std::int64_t project_id, const std::string& distinct_id) {
  if (ctx.persons == nullptr) return;
  ctx.persons->Invalidate(project_id, distinct_id);
  auto person = ctx.store.GetPerson(project_id, distinct_id);
  if (!person.ok()) return;
  for (const std::string& id : person->distinct_ids) ctx.persons->Invalidate(project_id, id);
}

Response ListPersons(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto page = ReadPageRequest(req.request(), "persons");
  if (!page.ok()) return InvalidQueryResponse(page.status());
  // offset is the older way to page; it stays accepted for a first page, but not with a cursor.
  auto offset = IntQueryParam(req.request(), "offset", 0, 0, INT32_MAX);
  if (!offset.ok()) return InvalidQueryResponse(offset.status());
  if (page->after && req.request().QueryParam("offset") != nullptr) {
    return InvalidQueryResponse(Status::InvalidArgument("give cursor or offset, not both", "offset"));
  }
  store::PersonQuery query{page->after, static_cast<int>(*offset), static_cast<int>(page->limit)};
  auto persons = ctx.store.ListPersons(project->id, query);
  if (!persons.ok()) return ErrorResponse(persons.status());
  std::optional<std::string> next;
  if (persons->size() == page->limit) {
    // A full page: one more indexed read says whether anything follows, so the last page never
    // points at an empty one.
    auto after = ctx.store.ListPersons(project->id, {persons->back().distinct_id, 0, 1});
    if (!after.ok()) return ErrorResponse(after.status());
    if (!after->empty()) next = persons->back().distinct_id;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& person : *persons) out.push_back(PersonJson(person));
  return PagedJsonResponse(req.request(), "persons", {{"persons", std::move(out)}}, next);
}

Response GetPerson(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  auto person = ctx.store.GetPerson(project->id, req.Param("distinct_id"));
  if (!person.ok()) return ErrorResponse(person.status());
  return JsonResponse(200, PersonJson(*person));
}

Response PutPerson(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  if (Status s = CheckDistinctId(req.Param("distinct_id")); !s.ok()) return ErrorResponse(s);
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", core::kPersonReplaceFields); !s.ok()) return ErrorResponse(s);
  // A GET answer sent back: its distinct_id must be this person's.
  if (body->contains("distinct_id")) {
    if (Status s = MatchPathValue(*body, "distinct_id", req.Param("distinct_id")); !s.ok())
      return ErrorResponse(s);
  }
  if (!body->contains("properties") || !(*body)["properties"].is_object()) {
    return ErrorResponse(Status::InvalidArgument("properties must be a JSON object", "properties"));
  }
  auto person = ctx.store.ReplacePerson(project->id, req.Param("distinct_id"), (*body)["properties"]);
  ForgetCached(ctx, project->id, req.Param("distinct_id"));
  if (!person.ok()) return ErrorResponse(person.status());
  return JsonResponse(200, PersonJson(*person));
}

Response PatchPerson(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  if (Status s = CheckDistinctId(req.Param("distinct_id")); !s.ok()) return ErrorResponse(s);
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  if (Status s = core::CheckFields(*body, "", core::kPersonPatchFields); !s.ok()) return ErrorResponse(s);
  auto field = [&](const char* name) { return body->contains(name) ? (*body)[name] : nlohmann::json(); };
  auto person = ctx.store.UpdatePerson(project->id, req.Param("distinct_id"), field("$set"),
                                       field("$set_once"), field("$unset"));
  ForgetCached(ctx, project->id, req.Param("distinct_id"));
  if (!person.ok()) return ErrorResponse(person.status());
  return JsonResponse(200, PersonJson(*person));
}

Response DeletePerson(ServerContext& ctx, RequestContext& req) {
  auto project = ResolveProject(ctx, req);
  if (!project.ok()) return ErrorResponse(project.status());
  ForgetCached(ctx, project->id, req.Param("distinct_id"));  // while its ids are still known
  Status deleted = ctx.store.DeletePerson(project->id, req.Param("distinct_id"));
  ForgetCached(ctx, project->id, req.Param("distinct_id"));
  return ErrorOr(deleted);
}

}  // namespace

void RegisterPersonRoutes(Router& router, ServerContext& ctx) {
  const std::string base = "/api/v1/projects/{project}/persons";
  auto bind = [&ctx](auto fn) { return Bind(ctx, fn); };
  router.Add("GET", base, Access::kAdmin, "List persons (paged; offset still accepted)",
             AcceptingQuery({"limit", "cursor", "offset"}), bind(ListPersons));
  router.Add("GET", base + "/{distinct_id}", Access::kAdmin, "Get a person's stored properties",
             bind(GetPerson));
  router.Add("PUT", base + "/{distinct_id}", Access::kAdmin, "Replace a person's properties",
             bind(PutPerson));
  router.Add("PATCH", base + "/{distinct_id}", Access::kAdmin, "Merge properties ($set, $set_once, $unset)",
             bind(PatchPerson));
  router.Add("DELETE", base + "/{distinct_id}", Access::kAdmin, "Delete a person", bind(DeletePerson));
}

}  // namespace switchyard::server
