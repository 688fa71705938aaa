#include "server/batch_evaluate_request.h"

#include <string_view>

#include "core/abbreviate.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

constexpr std::size_t kQuotedNameBytes = 64;

Status RefuseUnknown(const json& object, std::initializer_list<std::string_view> known,
                     const std::string& prefix, std::string_view expected) {
  for (const auto& [field, _] : object.items()) {
    bool ok = false;
    for (std::string_view name : known) ok = ok || field == name;
    if (!ok) {
      const std::string quoted = core::Abbreviate(field, kQuotedNameBytes);
      return Status::InvalidArgument("unknown field '" + quoted + "'; expected " + std::string(expected),
                                     prefix + quoted);
    }
  }
  return Status::Ok();
}

// One user, checked exactly as a single evaluate body is; its errors are re-rooted at users[i].
Result<EvaluateRequest> ParseUser(json user, std::size_t index) {
  const std::string path = "users[" + std::to_string(index) + "]";
  if (!user.is_object()) {
    return Status::InvalidArgument("each user is an object with distinct_id and properties", path);
  }
  if (Status s = RefuseUnknown(user, {"distinct_id", "properties"}, path + ".", "distinct_id or properties");
      !s.ok()) {
    return s;
  }
  auto parsed = ParseEvaluateRequest(std::move(user));
  if (!parsed.ok()) {
    const Status& s = parsed.status();
    return Status(s.code(), path + ": " + s.message(), s.field().empty() ? path : path + "." + s.field());
  }
  return parsed;
}

}  // namespace

Result<BatchEvaluateRequest> ParseBatchEvaluateRequest(json body) {
  if (Status s = RefuseUnknown(body, {"users", "flags", "project", "environment"}, "",
                               "users, flags, project or environment");
      !s.ok()) {
    return s;
  }
  BatchEvaluateRequest batch;
  if (Status s = ReadEvaluationScope(body, &batch.project, &batch.environment); !s.ok()) return s;
  auto flags = ReadRequestedFlags(body, "flags");
  if (!flags.ok()) return flags.status();
  batch.flags = std::move(*flags);
  auto users = body.find("users");
  if (users == body.end() || !users->is_array() || users->size() > kMaxBatchUsers) {
    return Status::InvalidArgument(
        "users must be an array of at most " + std::to_string(kMaxBatchUsers) + " users", "users");
  }
  batch.users.reserve(users->size());
  for (std::size_t i = 0; i < users->size(); ++i) {
    auto user = ParseUser(std::move((*users)[i]), i);
    if (!user.ok()) return user.status();
    batch.users.push_back(std::move(*user));
  }
  return batch;
}

}  // namespace switchyard::server
