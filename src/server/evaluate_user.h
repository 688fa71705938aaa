// One user's evaluation, as every route that evaluates for a user does it (POST /api/v1/evaluate,
// PostHog's /flags and /decide): the stored properties (the in-memory cache, else a store read on
// the worker pool, then cached) merged under the request's, the environment's snapshot, the
// experiment gate (holdouts, layers, exposures) and the stale-flag counters. The routes differ
// only in how they project the result onto their wire shape.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>

#include <vector>

#include "server/evaluate_request.h"
#include "server/evaluation_inputs.h"
#include "server/server_context.h"
#include "switchyard/evaluation.h"
#include "switchyard/status.h"

namespace switchyard::server {

struct UserEvaluation {
  EvaluationContext context;
  std::vector<FlagResult> results;  // every flag in key order, or the requested ones in their order
};

// `request`'s distinct_id and properties are moved from. An error only when the stored properties
// (or the groups the request names) could not be read (answer it with PersonReadFailedResponse).
boost::asio::awaitable<Result<UserEvaluation>> EvaluateUser(ServerContext& ctx, EvaluationTarget where,
                                                            EvaluateRequest& request);

}  // namespace switchyard::server
