#include "store/store_validation.h"

#include <algorithm>

#include "store/person_properties.h"
#include "switchyard/flag_json.h"

namespace switchyard::store {
namespace {

constexpr std::size_t kMaxSlugLength = 64;
constexpr std::size_t kHashHexLength = 64;  // SHA-256

bool IsSlugChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

Status ValidateSlug(const std::string& slug) {
  if (slug.empty() || slug.size() > kMaxSlugLength || !std::all_of(slug.begin(), slug.end(), IsSlugChar)) {
    return Status::InvalidArgument("a project slug is 1 to 64 characters from [a-z0-9-]", "slug");
  }
  // URLs name a project by slug or by id, slug first: an all-digit slug would hide a project id.
  if (std::all_of(slug.begin(), slug.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument("a project slug must not be all digits (it would read as a project id)",
                                   "slug");
  }
  return Status::Ok();
}

Status ValidateNewApiKey(const ApiKey& key) {
  if (key.prefix.empty()) return Status::InvalidArgument("an API key needs a prefix", "prefix");
  if (key.hash_hex.size() != kHashHexLength ||
      !std::all_of(key.hash_hex.begin(), key.hash_hex.end(), IsLowerHex)) {
    return Status::InvalidArgument("hash_hex must be a lower-case hex SHA-256 (64 characters)", "hash_hex");
  }
  if (key.scope != KeyScope::kAdmin && !key.project_id) {
    return Status::InvalidArgument("a project key needs a project_id", "project_id");
  }
  if (key.scope == KeyScope::kAdmin && key.environment_id) {
    return Status::InvalidArgument("an admin key belongs to no environment", "environment_id");
  }
  if (key.scope == KeyScope::kAdmin && key.project_id) {
    return Status::InvalidArgument("an admin key belongs to no project", "project_id");
  }
  return Status::Ok();
}

Result<Flag> CanonicalFlag(const Flag& flag, std::int64_t version) {
  if (flag.key.empty()) return Status::InvalidArgument("a flag needs a key", "key");
  Flag versioned = flag;
  versioned.version = version;
  Result<Flag> parsed = FlagFromJson(FlagToJson(versioned));
  if (!parsed.ok()) return parsed.status();
  parsed->version = version;
  return parsed;
}

Result<FlagRecord> CanonicalFlagRecord(const FlagRecord& record, std::int64_t version,
                                       const std::vector<std::string>& environments) {
  Result<Flag> definition = CanonicalFlag(DefinitionOf(record.flag), version);
  if (!definition.ok()) return definition.status();
  FlagRecord out = record;
  out.flag = DefinitionOf(std::move(*definition));
  out.environments.clear();
  for (const auto& [key, targeting] : record.environments) {
    if (std::find(environments.begin(), environments.end(), key) == environments.end()) {
      return Status::InvalidArgument("the project has no environment '" + key + "'", "environments." + key);
    }
    Result<Flag> view = CanonicalFlag(WithTargeting(out.flag, targeting), version);
    if (!view.ok()) return view.status();
    out.environments[key] = TargetingOf(*view);
  }
  for (const std::string& key : environments) out.environments.try_emplace(key);
  return out;
}

Result<Cohort> CanonicalCohort(const Cohort& cohort) {
  if (cohort.id.empty()) return Status::InvalidArgument("a cohort needs an id", "id");
  return CohortFromJson(CohortToJson(cohort));
}

Status ValidateEnvironmentKey(const std::string& key) {
  if (key.empty() || key.size() > kMaxSlugLength || !std::all_of(key.begin(), key.end(), IsSlugChar)) {
    return Status::InvalidArgument("an environment key is 1 to 64 characters from [a-z0-9-]", "key");
  }
  return Status::Ok();
}

Status EnvironmentNotFound(const std::string& key) {
  return Status::NotFound("no environment '" + key + "'", "environment");
}

Status ValidateExpectedVersion(std::int64_t expected_version) {
  if (expected_version < 1 || expected_version > kMaxVersion) {
    return Status::InvalidArgument("version must be from 1 to " + std::to_string(kMaxVersion), "version");
  }
  return Status::Ok();
}

Status ValidateDistinctId(const std::string& distinct_id) {
  if (distinct_id.empty()) return Status::InvalidArgument("distinct_id must not be empty", "distinct_id");
  return Status::Ok();
}

int ClampLimit(int limit) {
  return std::clamp(limit, 1, kMaxListLimit);
}
int ClampOffset(int offset) {
  return std::max(offset, 0);
}

Status ProjectNotFound(std::int64_t project_id) {
  return Status::NotFound("no project with id " + std::to_string(project_id), "project_id");
}

Status FlagNotFound(const std::string& key) {
  return Status::NotFound("no flag '" + key + "'", "key");
}
Status CohortNotFound(const std::string& id) {
  return Status::NotFound("no cohort '" + id + "'", "id");
}
Status PersonNotFound(const std::string& distinct_id) {
  return Status::NotFound("no person '" + distinct_id + "'", "distinct_id");
}

Status VersionConflict(std::string_view entity, const std::string& key, std::int64_t current,
                       std::int64_t expected) {
  return Status::Conflict(std::string(entity) + " '" + key + "' is at version " + std::to_string(current) +
                              ", not " + std::to_string(expected),
                          "version");
}

Status ValidatePersonUpdates(const std::vector<PersonUpdate>& updates) {
  for (std::size_t i = 0; i < updates.size(); ++i) {
    const PersonUpdate& update = updates[i];
    Status s = ValidateDistinctId(update.distinct_id);
    if (s.ok()) s = ValidatePersonUpdate(update.set, update.set_once, update.unset);
    if (s.ok() && !update.alias.empty()) s = ValidateDistinctId(update.alias);
    if (!s.ok() && s.field() == "distinct_id" && !update.alias.empty() && !update.distinct_id.empty()) {
      s = Status(s.code(), s.message(), "alias");
    }
    if (!s.ok()) {
      return Status(s.code(), s.message(), "updates[" + std::to_string(i) + "]." + s.field());
    }
  }
  return Status::Ok();
}

Status ValidateGroupUpdates(const std::vector<GroupUpdate>& updates) {
  for (std::size_t i = 0; i < updates.size(); ++i) {
    const GroupUpdate& update = updates[i];
    Status s;
    if (update.group_type.empty())
      s = Status::InvalidArgument("$group_type must not be empty", "$group_type");
    if (s.ok() && update.group_key.empty()) {
      s = Status::InvalidArgument("$group_key must not be empty", "$group_key");
    }
    if (s.ok() && !update.set.is_object()) {
      s = Status::InvalidArgument("$group_set must be an object", "$group_set");
    }
    if (!s.ok()) return Status(s.code(), s.message(), "updates[" + std::to_string(i) + "]." + s.field());
  }
  return Status::Ok();
}

Status ValidateGroupTypeName(const std::string& name) {
  if (name.empty() || name.size() > 100) {
    return Status::InvalidArgument("a group type's name must be 1 to 100 bytes", "name");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f)
      return Status::InvalidArgument("a group type's name has a control character", "name");
  }
  return Status::Ok();
}

Status GroupTypeExists(const std::string& name) {
  return Status::AlreadyExists("the project already has group type '" + name + "'", "name");
}

Status NoGroupTypeIndexLeft() {
  return Status(StatusCode::kConflict,
                "the project already has " + std::to_string(kMaxGroupTypes) +
                    " group types, the most PostHog's group analytics index",
                "name");
}

Status GroupNotFound(const std::string& group_type, const std::string& group_key) {
  return Status::NotFound("no group '" + group_key + "' of type '" + group_type + "'", "group_key");
}

Status ScheduleNotFound(std::int64_t id) {
  return Status::NotFound("no scheduled change " + std::to_string(id) + " for this flag", "id");
}

Status ScheduleNotPending(const FlagSchedule& schedule) {
  return Status::Conflict("scheduled change " + std::to_string(schedule.id) + " is " + schedule.status +
                              "; only a pending one can be cancelled",
                          "id");
}

}  // namespace switchyard::store
