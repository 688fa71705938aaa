// The JSON forms of stored entities as they appear in the audit log (before/after), plus the
// non-throwing JSON helpers both backends share. Shared so that the memory and SQLite backends
// write byte-for-byte the same audit entries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "store/store.h"
#include "switchyard/flag.h"
#include "switchyard/status.h"

namespace switchyard::store {

std::string_view KeyScopeName(KeyScope scope);  // "admin" | "project"
Result<KeyScope> KeyScopeFromName(std::string_view name);

// {"id","slug","name"}
nlohmann::json ProjectAuditJson(const Project& project);
// {"id","label","prefix","scope","project_id","revoked"}: deliberately never the hash. "revoked"
// is what makes a revocation's before/after differ.
nlohmann::json ApiKeyAuditJson(const ApiKey& key);
// The stored and audited form of a flag: the shared definition (FlagToJson without "active" and
// "filters"; record.flag.version must be the stored version) and
// "environments": {key: {"active", "filters"}}; with "archived": true and "archived_at" when archived.
nlohmann::json FlagAuditJson(const FlagRecord& record);
// The audit action of an update that takes `archived` from `was_archived`: flag.archive,
// flag.unarchive, or flag.update.
std::string FlagUpdateAction(bool was_archived, bool archived);
// Reads that form back into record->flag and record->environments; Corruption naming `what`.
Status ReadStoredFlag(const nlohmann::json& stored, std::string_view what, FlagRecord* record);
// {"id","environment","at","change","status"}: a scheduled change as the audit log shows it.
nlohmann::json FlagScheduleAuditJson(const FlagSchedule& schedule);
// {"id","key","name"}
nlohmann::json EnvironmentAuditJson(const Environment& environment);
// CohortToJson(cohort) plus "version".
nlohmann::json CohortAuditJson(const Cohort& cohort, std::int64_t version);

// Serializes without throwing: invalid UTF-8 is replaced rather than raising type_error 316.
std::string DumpJson(const nlohmann::json& json);
// Parses text read back from storage; anything unparseable is Corruption naming `what`.
Result<nlohmann::json> ParseStoredJson(std::string_view text, std::string_view what);

}  // namespace switchyard::store
