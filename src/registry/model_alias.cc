#include "registry/model_alias.h"

#include "registry/model_reference.h"

namespace switchyard::registry {

Status CheckAliasTarget(const ModelVersion& target, const std::string& field) {
  if (target.state != ModelState::kArchived) return Status::Ok();
  return Status::Conflict(
      "model version " + target.Reference() + " is archived and cannot be an alias target", field);
}

Result<std::string> RollbackTarget(const std::string& name, const std::string& alias,
                                   const std::vector<AliasMove>& history) {
  if (history.empty() || history.back().from.empty())
    return Status::Conflict("alias " + name + "@" + alias + " has no previous target to roll back to",
                            "alias");
  return history.back().from;
}

bool MovesLatest(const std::string& current, const std::string& registered) {
  return current.empty() || VersionOrder(registered) > VersionOrder(current);
}

Status ValidateReason(const std::string& reason) {
  if (reason.size() <= kMaxReasonLength) return Status::Ok();
  return Status::InvalidArgument("reason is longer than 1000 characters", "reason");
}

nlohmann::json ModelAliasToJson(const ModelAlias& alias) {
  return {{"name", alias.name},
          {"alias", alias.alias},
          {"version", alias.version},
          {"reference", alias.name + "@" + alias.version},
          {"updated_at", alias.updated_at},
          {"updated_by", alias.updated_by}};
}

nlohmann::json AliasMoveToJson(const AliasMove& move) {
  return {{"id", move.id},
          {"name", move.name},
          {"alias", move.alias},
          {"from", move.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(move.from)},
          {"to", move.to},
          {"actor", move.actor},
          {"at", move.at},
          {"reason", move.reason},
          {"rollback", move.rollback}};
}

}  // namespace switchyard::registry
