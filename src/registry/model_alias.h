// Aliases of a model name (`latest`, `stable`, `canary`, custom names): each points at exactly one
// version, and every move is appended to the alias's history. The rules every store applies the
// same way live here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/model_version.h"
#include "switchyard/status.h"

namespace switchyard::registry {

struct ModelAlias {
  std::string name;     // the model
  std::string alias;    // the alias
  std::string version;  // its target
  std::string updated_at;
  std::string updated_by;
};

// One move of an alias. `from` is empty when the move created the alias.
struct AliasMove {
  std::int64_t id = 0;  // increasing in the order moves were made
  std::string name;
  std::string alias;
  std::string from;
  std::string to;
  std::string actor;
  std::string at;
  std::string reason;
  bool rollback = false;
};

inline constexpr std::size_t kMaxReasonLength = 1000;

// Ok, or Conflict naming the version when it is archived (an archived version serves nothing).
Status CheckAliasTarget(const ModelVersion& target, const std::string& field = "version");
// Where a rollback of the alias moves it: the target before its current one, i.e. `from` of
// its last move. Conflict when there is none (the alias was only ever created). `history` is
// oldest first.
Result<std::string> RollbackTarget(const std::string& name, const std::string& alias,
                                   const std::vector<AliasMove>& history);
// Whether registering `registered` moves `latest` from `current` (empty: no latest yet): latest
// is the highest version registered.
bool MovesLatest(const std::string& current, const std::string& registered);
// At most kMaxReasonLength bytes; InvalidArgument on "reason".
Status ValidateReason(const std::string& reason);

nlohmann::json ModelAliasToJson(const ModelAlias& alias);
nlohmann::json AliasMoveToJson(const AliasMove& move);

}  // namespace switchyard::registry
