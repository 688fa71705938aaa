// POST /api/v1/evaluate: the hot path. One snapshot load, one person read, one pass of the
// engine; nothing here takes a lock that a writer holds.
#include <chrono>

#include "server/api_error.h"
#include "server/api_routes.h"
#include "server/evaluate_request.h"
#include "server/evaluation_json.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

// The project to evaluate in: a project key's own; an admin key names one with "project".
Result<std::int64_t> EvaluationProject(ServerContext& ctx, const RequestContext& req,
                                       const EvaluateRequest& request) {
  const Principal& principal = req.principal();
  if (!principal.is_admin()) return *principal.project_id;
  if (!request.project) {
    return Status::InvalidArgument("with an admin key, name the project to evaluate in (\"project\": slug)",
                                   "project");
  }
  auto project = ctx.store.GetProjectBySlug(*request.project);
  if (!project.ok()) return Status::NotFound(project.status().message(), "project");
  return project->id;
}

// Stored person properties with the request's merged over them (the request wins).
Result<EvaluationContext> ContextFor(ServerContext& ctx, std::int64_t project_id, EvaluateRequest& request) {
  EvaluationContext context;
  context.distinct_id = request.distinct_id;
  auto stored = ctx.store.GetPerson(project_id, context.distinct_id);
  if (stored.ok()) {
    context.properties = std::move(stored->properties);
  } else if (stored.status().code() != StatusCode::kNotFound) {
    return stored.status();
  }
  for (auto& [k, v] : request.properties.items()) context.properties[k] = std::move(v);
  context.now = std::chrono::system_clock::now();
  return context;
}

Response Evaluate(ServerContext& ctx, RequestContext& req) {
  auto body = ObjectBody(req);
  if (!body.ok()) return BadJsonResponse(body.status());
  auto request = ParseEvaluateRequest(std::move(*body));
  if (!request.ok()) return ErrorResponse(request.status());
  auto project_id = EvaluationProject(ctx, req, *request);
  if (!project_id.ok()) return ErrorResponse(project_id.status());
  auto context = ContextFor(ctx, *project_id, *request);
  if (!context.ok()) return ErrorResponse(context.status());

  auto snapshot = ctx.snapshots.Get(*project_id);
  std::vector<FlagResult> results =
      request->flags ? snapshot->EvaluateSome(*request->flags, *context) : snapshot->EvaluateAll(*context);
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
