// POST /api/v1/evaluate: the hot path. One snapshot load, one person read, one pass of the
// engine; nothing here takes a lock that a writer holds.
#include <chrono>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/evaluation_json.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

constexpr size_t kMaxDistinctIdLength = 400;
constexpr size_t kMaxFlagKeys = 1000;

// The project to evaluate in: a project key's own; an admin key names one with "project".
Result<std::int64_t> EvaluationProject(ServerContext& ctx, const RequestContext& req,
                                       const nlohmann::json& body) {
  const Principal& principal = req.principal();
  if (!principal.is_admin()) return *principal.project_id;
  if (!body.contains("project") || !body["project"].is_string()) {
    return Status::InvalidArgument("with an admin key, name the project to evaluate in (\"project\": slug)",
                                   "project");
  }
  auto project = ctx.store.GetProjectBySlug(body["project"].get<std::string>());
  if (!project.ok()) return Status::NotFound(project.status().message(), "project");
  return project->id;
}

Result<EvaluationContext> ContextFromBody(ServerContext& ctx, std::int64_t project_id,
                                          const nlohmann::json& body) {
  auto id = body.find("distinct_id");
  if (id == body.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > kMaxDistinctIdLength) {
    return Status::InvalidArgument("distinct_id must be a string of 1 to 400 characters", "distinct_id");
  }
  EvaluationContext context;
  context.distinct_id = id->get<std::string>();
  auto stored = ctx.store.GetPerson(project_id, context.distinct_id);
  if (stored.ok()) {
    context.properties = std::move(stored->properties);
  } else if (stored.status().code() != StatusCode::kNotFound) {
    return stored.status();
  }
  auto props = body.find("properties");
  if (props != body.end() && !props->is_null()) {
    if (!props->is_object()) return Status::InvalidArgument("properties must be a JSON object", "properties");
    for (const auto& [k, v] : props->items()) context.properties[k] = v;  // the request wins
  }
  context.now = std::chrono::system_clock::now();
  return context;
}

Result<std::optional<std::vector<std::string>>> RequestedKeys(const nlohmann::json& body) {
  auto flags = body.find("flags");
  if (flags == body.end() || flags->is_null()) return std::optional<std::vector<std::string>>();
  if (!flags->is_array() || flags->size() > kMaxFlagKeys) {
    return Status::InvalidArgument("flags must be an array of at most 1000 flag keys", "flags");
  }
  std::vector<std::string> keys;
  for (const auto& key : *flags) {
    if (!key.is_string()) return Status::InvalidArgument("flags must contain only strings", "flags");
    keys.push_back(key.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(keys));
}

Response Evaluate(ServerContext& ctx, RequestContext& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto project_id = EvaluationProject(ctx, req, *body);
  if (!project_id.ok()) return ErrorResponse(project_id.status());
  auto keys = RequestedKeys(*body);
  if (!keys.ok()) return ErrorResponse(keys.status());
  auto context = ContextFromBody(ctx, *project_id, *body);
  if (!context.ok()) return ErrorResponse(context.status());

  auto snapshot = ctx.snapshots.Get(*project_id);
  std::vector<FlagResult> results =
      *keys ? snapshot->EvaluateSome(**keys, *context) : snapshot->EvaluateAll(*context);
  Response response;
  response.body = EvaluationResponseJson(context->distinct_id, results);
  return response;
}

}  // namespace

void RegisterEvaluateRoutes(Router& router, ServerContext& ctx) {
  router.Add("POST", "/api/v1/evaluate", Access::kProject,
             "Evaluate all (or the named) flags for a user: values, variants, payloads, reasons",
             Bind(ctx, Evaluate));
}

}  // namespace switchyard::server
