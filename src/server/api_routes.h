// Registration of every route of the REST API. Each Register* lives in its own file, next to
// its handlers; RegisterApiRoutes is the single list of them all.
#pragma once

#include "server/router.h"
#include "server/server_context.h"

namespace switchyard::server {

void RegisterHealthRoutes(Router& router, ServerContext& context);
void RegisterProjectRoutes(Router& router, ServerContext& context);
void RegisterFlagRoutes(Router& router, ServerContext& context);
void RegisterFlagApplyRoutes(Router& router, ServerContext& context);
// Archive, stale report, scheduled changes; before RegisterFlagRoutes (".../flags/stale").
void RegisterFlagLifecycleRoutes(Router& router, ServerContext& context);
void RegisterCohortRoutes(Router& router, ServerContext& context);
void RegisterPersonRoutes(Router& router, ServerContext& context);
void RegisterGroupRoutes(Router& router, ServerContext& context);
void RegisterAuditRoutes(Router& router, ServerContext& context);
void RegisterEvaluateRoutes(Router& router, ServerContext& context);
void RegisterBatchEvaluateRoutes(Router& router, ServerContext& context);
void RegisterEventRoutes(Router& router, ServerContext& context);
// The statistics calculator (src/stats behind a JSON face).
void RegisterStatsRoutes(Router& router, ServerContext& context);
// Experiments (create, lifecycle, ship) and the project holdout.
void RegisterExperimentRoutes(Router& router, ServerContext& context);
// Metric definitions of experiments (stored and built-in).
void RegisterMetricRoutes(Router& router, ServerContext& context);
// An experiment's ingest-time aggregate (read-only).
void RegisterExperimentAggregateRoutes(Router& router, ServerContext& context);
// An experiment's results (analysis of its aggregate) and verdict.
void RegisterExperimentResultsRoutes(Router& router, ServerContext& context);
// GET /metrics with the given access: kAdmin in the API, kPublic on the metrics-only listener.
void RegisterMetricsRoute(Router& router, ServerContext& context, Access access);
// OFREP (OpenFeature Remote Evaluation Protocol): single and bulk evaluation.
void RegisterOfrepRoutes(Router& router, ServerContext& context);
// PostHog compatibility: /flags, /decide, remote configuration; capture (/batch, /capture, /e, /i/v0/e).
void RegisterPostHogFlagsRoutes(Router& router, ServerContext& context);
void RegisterPostHogCaptureRoutes(Router& router, ServerContext& context);
// The local-evaluation definitions for back-end SDKs (PostHog's /flags/definitions).
void RegisterDefinitionsRoutes(Router& router, ServerContext& context);
// Members of static cohorts.
void RegisterCohortMemberRoutes(Router& router, ServerContext& context);
// The model gateway's per-route × variant statistics (what `switchyard top` shows).
void RegisterGatewayStatsRoutes(Router& router, ServerContext& context);

// The model registry (versions, lifecycle, aliases, retention) and the gateway's routes.
void RegisterModelRoutes(Router& router, ServerContext& context);
void RegisterGatewayRouteRoutes(Router& router, ServerContext& context);

// The model gateway: OpenAI-compatible routes (/v1/...), the shadow comparison, and generic invoke.
void RegisterGatewayRoutes(Router& router, ServerContext& context);
void RegisterInvokeRoutes(Router& router, ServerContext& context);

inline void RegisterApiRoutes(Router& router, ServerContext& context) {
  RegisterHealthRoutes(router, context);
  RegisterProjectRoutes(router, context);
  RegisterFlagApplyRoutes(router, context);
  RegisterFlagLifecycleRoutes(router, context);
  RegisterFlagRoutes(router, context);
  RegisterCohortRoutes(router, context);
  RegisterPersonRoutes(router, context);
  RegisterGroupRoutes(router, context);
  RegisterAuditRoutes(router, context);
  RegisterEvaluateRoutes(router, context);
  RegisterBatchEvaluateRoutes(router, context);
  RegisterEventRoutes(router, context);
  RegisterStatsRoutes(router, context);
  RegisterExperimentRoutes(router, context);
  RegisterMetricRoutes(router, context);
  RegisterExperimentAggregateRoutes(router, context);
  RegisterExperimentResultsRoutes(router, context);
  RegisterMetricsRoute(router, context, Access::kAdmin);
  RegisterOfrepRoutes(router, context);
  RegisterPostHogFlagsRoutes(router, context);
  RegisterPostHogCaptureRoutes(router, context);
  RegisterDefinitionsRoutes(router, context);
  RegisterCohortMemberRoutes(router, context);
  RegisterModelRoutes(router, context);
  RegisterGatewayRouteRoutes(router, context);
  RegisterGatewayStatsRoutes(router, context);
  RegisterGatewayRoutes(router, context);
  RegisterInvokeRoutes(router, context);
}

}  // namespace switchyard::server
