// Helpers shared by the store tests: fixtures' building blocks, status matchers and query
// builders. Test-only; every function is inline so each test binary includes it freely.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/temp_dir.h"

namespace switchyard::store::test_support {

using nlohmann::json;

inline constexpr char kTimestampPattern[] =
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z";
inline const Actor kAlice{"admin:sy_adm_alice"};
inline const Actor kBob{"admin:sy_adm_bob"};

// The two stores every conformance test runs against (typed tests: one suite, both backends).
struct MemoryBackend {
  static Result<std::unique_ptr<Store>> Open(const TempDir&) { return NewMemoryStore(); }
};
struct SqliteBackend {
  static Result<std::unique_ptr<Store>> Open(const TempDir& dir) {
    return OpenSqliteStore(dir.File("switchyard.db"));
  }
};
// Readable typed-test names: "Memory" and "Sqlite" instead of 0 and 1.
struct BackendNames {
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, MemoryBackend> ? "Memory" : "Sqlite";
  }
};

// The value, or a failed test: throwing ends the test body and gtest reports it.
template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) throw std::runtime_error("unexpected failure: " + result.status().ToString());
  return std::move(result).value();
}
inline void Must(const Status& status) {
  if (!status.ok()) throw std::runtime_error("unexpected failure: " + status.ToString());
}

template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}
inline Status StatusOf(const Status& status) {
  return status;
}

MATCHER_P2(IsError, code, field, "fails with " + std::string(StatusCodeName(code)) + " on '" + field + "'") {
  const Status status = StatusOf(arg);
  *result_listener << "got " << status.ToString();
  return status.code() == code && status.field() == field;
}

inline Flag MakeFlag(const std::string& key) {
  Flag flag;
  flag.key = key;
  flag.name = "Flag " + key;
  flag.description = "about " + key;
  flag.tags = {"team-a"};
  ConditionGroup group;
  group.properties.push_back(PropertyFilter{"email", FilterType::kPerson, Operator::kIContains, "@acme.com"});
  group.rollout_percentage = 50;
  flag.groups.push_back(group);
  return flag;
}

inline Flag MakeMultivariateFlag(const std::string& key) {
  Flag flag = MakeFlag(key);
  flag.variants = {{"control", "Control", 50}, {"test", "Test", 50}};
  flag.payloads["test"] = json{{"color", "blue"}};
  return flag;
}

inline Cohort MakeCohort(const std::string& id) {
  Cohort cohort;
  cohort.id = id;
  cohort.name = "Cohort " + id;
  ConditionGroup group;
  group.properties.push_back(PropertyFilter{"plan", FilterType::kPerson, Operator::kExact, "pro"});
  cohort.groups.push_back(group);
  return cohort;
}

inline ApiKey MakeKey(const std::string& prefix, std::optional<std::int64_t> project_id) {
  ApiKey key;
  key.scope = project_id ? KeyScope::kProject : KeyScope::kAdmin;
  key.project_id = project_id;
  key.label = "key " + prefix;
  key.prefix = prefix;
  key.hash_hex = std::string(64, 'a');
  return key;
}

inline std::vector<std::string> Keys(const std::vector<FlagRecord>& records) {
  std::vector<std::string> keys;
  for (const FlagRecord& record : records) keys.push_back(record.flag.key);
  return keys;
}

inline std::vector<std::string> Actions(const std::vector<AuditEntry>& entries) {
  std::vector<std::string> actions;
  for (const AuditEntry& entry : entries) actions.push_back(entry.action);
  return actions;
}

// Query builders: aggregate designated initializers would trip -Wmissing-field-initializers.
struct AuditFilter : AuditQuery {
  AuditFilter& Project(std::int64_t id) {
    project_id = id;
    return *this;
  }
  AuditFilter& Type(std::string type) {
    entity_type = std::move(type);
    return *this;
  }
  AuditFilter& Key(std::string key) {
    entity_key = std::move(key);
    return *this;
  }
  AuditFilter& Before(std::int64_t id) {
    before_id = id;
    return *this;
  }
  AuditFilter& Limit(int n) {
    limit = n;
    return *this;
  }
};
struct FlagFilter : FlagQuery {
  FlagFilter& Tag(std::string value) {
    tag = std::move(value);
    return *this;
  }
  FlagFilter& Active(bool value) {
    active = value;
    return *this;
  }
  FlagFilter& Text(std::string value) {
    text = std::move(value);
    return *this;
  }
  FlagFilter& Archived(bool value) {
    archived = value;
    return *this;
  }
};

}  // namespace switchyard::store::test_support
