// The body of POST /api/v1/evaluate/batch: many users, one optional list of flags. Every user
// is held to the limits of a single evaluate request (evaluate_request.h), and the batch is
// checked whole before anything is evaluated, so a bad user at index i is a 422 naming
// `users[i].<field>` rather than a stream that breaks off half-way. Limits: docs/API.md.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/evaluate_request.h"
#include "switchyard/status.h"

namespace switchyard::server {

inline constexpr std::size_t kMaxBatchUsers = 1000;
// Room for 1,000 users of about 4 KiB each (an id and a few dozen properties); a batch of
// larger users is split by the client.
inline constexpr std::size_t kMaxBatchBodyBytes = 4 * 1024 * 1024;

struct BatchEvaluateRequest {
  std::optional<std::string> project;             // an admin key names the project this way
  std::optional<std::string> environment;         // and the environment (default production)
  std::vector<EvaluateRequest> users;             // distinct_id and properties of each, in input order
  std::optional<std::vector<std::string>> flags;  // nullopt: every flag
};

// `body` must be a JSON object with "users" (0 to kMaxBatchUsers objects of "distinct_id" and
// "properties"), and optionally "flags" and "project". InvalidArgument naming the field:
// "users", "users[i]", "users[i].distinct_id", "users[i].properties.<key>", "flags[i]", or an
// unknown field (at the top level or in a user).
Result<BatchEvaluateRequest> ParseBatchEvaluateRequest(nlohmann::json body);

}  // namespace switchyard::server
