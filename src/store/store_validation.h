// Input checks and error shapes shared by every Store backend, so that the same call fails the
// same way (same code, same field) whichever backend serves it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"
#include "switchyard/flag.h"
#include "switchyard/status.h"

namespace switchyard::store {

inline constexpr int kMaxListLimit = 1000;
// The largest version a flag or cohort may be based on: 2^53, exact in a JSON number everywhere
// (JavaScript clients included), and far enough from INT64_MAX that version + 1 cannot overflow.
inline constexpr std::int64_t kMaxVersion = std::int64_t{1} << 53;

// [a-z0-9-]{1,64}, not all digits; InvalidArgument on field "slug".
Status ValidateSlug(const std::string& slug);

// Non-empty prefix, a 64-character lower-case hex hash, and project_id set exactly for project
// scope (InvalidArgument on "prefix", "hash_hex" or "project_id").
Status ValidateNewApiKey(const ApiKey& key);

// The flag exactly as it will read back: FlagFromJson(FlagToJson(flag)) with `version` set.
// Refusing here what FlagFromJson would refuse keeps unreadable definitions out of storage.
Result<Flag> CanonicalFlag(const Flag& flag, std::int64_t version);
Result<Cohort> CanonicalCohort(const Cohort& cohort);
// The record exactly as it will read back, with `version`: the shared definition and each
// environment's targeting canonical, and an entry (off when not given) for every one of
// `environments`. Targeting for an environment not among them is InvalidArgument on
// "environments.<key>".
Result<FlagRecord> CanonicalFlagRecord(const FlagRecord& record, std::int64_t version,
                                       const std::vector<std::string>& environments);

// 1..kMaxVersion; InvalidArgument on field "version". Checked before any arithmetic on it.
Status ValidateExpectedVersion(std::int64_t expected_version);

// Non-empty; InvalidArgument on field "distinct_id".
Status ValidateDistinctId(const std::string& distinct_id);

// Every update of a Store::UpdatePersons batch: its distinct_id and its parts, with the field of
// the first bad one as "updates[i].<field>".
Status ValidatePersonUpdates(const std::vector<PersonUpdate>& updates);
// Every update of a Store::UpdateGroups batch ("updates[i].<field>").
Status ValidateGroupUpdates(const std::vector<GroupUpdate>& updates);
Status GroupNotFound(const std::string& group_type, const std::string& group_key);  // field "group_key"
// A group type declared by name (Store::CreateGroupType): 1 to 100 bytes, no control characters
// (it is shown in definitions and dashboards); InvalidArgument on field "name".
Status ValidateGroupTypeName(const std::string& name);
// The answers every backend gives CreateGroupType for a taken name and for a full project.
Status GroupTypeExists(const std::string& name);
Status NoGroupTypeIndexLeft();

// An environment key: a slug (ValidateSlug), on field "key".
Status ValidateEnvironmentKey(const std::string& key);
Status EnvironmentNotFound(const std::string& key);  // field "environment"

// Limits outside 1..kMaxListLimit are clamped into it; a negative offset counts as 0.
int ClampLimit(int limit);
int ClampOffset(int offset);

// NotFound shapes, identical in every backend.
Status ProjectNotFound(std::int64_t project_id);        // field "project_id"
Status FlagNotFound(const std::string& key);            // field "key"
Status CohortNotFound(const std::string& id);           // field "id"
Status PersonNotFound(const std::string& distinct_id);  // field "distinct_id"

Status ScheduleNotFound(std::int64_t id);  // field "id"
// Conflict: the schedule already fired, failed or was cancelled (field "id").
Status ScheduleNotPending(const FlagSchedule& schedule);

// Conflict naming the current version, on field "version".
Status VersionConflict(std::string_view entity, const std::string& key, std::int64_t current,
                       std::int64_t expected);

}  // namespace switchyard::store
