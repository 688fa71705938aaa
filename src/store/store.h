// Store: the one interface every persistence backend implements (memory, SQLite; PostgreSQL
// later). The server and CLI never see SQL.
//
// Contract for every implementation (checked by tests/store/store_conformance_test.cc):
// - Each mutating call is atomic: the change and its audit entry are written together or not at
//   all. Audit entries record who (actor), when, the action, and the entity before/after as JSON.
// - Versions: a created flag/cohort has version 1; each update increments it. Update and delete
//   take the version the caller based its change on; a different current version fails with
//   Conflict and changes nothing, so two editors never overwrite each other silently.
// - Thread-safety: every method may be called from any thread concurrently.
// - Errors are Status values (NotFound, AlreadyExists, Conflict, InvalidArgument, Unavailable,
//   Corruption); implementations never throw across this interface.
// - Timestamps are RFC 3339 UTC strings with milliseconds ("2026-11-21T10:00:00.000Z").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/flag.h"
#include "switchyard/status.h"

namespace switchyard::store {

struct Project {
  std::int64_t id = 0;
  std::string slug;  // unique, [a-z0-9-]{1,64}; used in URLs
  std::string name;
  std::string created_at;
};

enum class KeyScope { kAdmin, kProject };

// An API key as stored: never the key itself, only its SHA-256 (hex) and a public lookup prefix.
struct ApiKey {
  std::int64_t id = 0;
  KeyScope scope = KeyScope::kProject;
  std::optional<std::int64_t> project_id;  // set for project keys
  std::string label;
  std::string prefix;    // the first characters of the key, unique, safe to show and log
  std::string hash_hex;  // SHA-256 of the whole key, lower-case hex
  std::string created_at;
  bool revoked = false;
};

struct FlagRecord {
  std::int64_t project_id = 0;
  Flag flag;  // flag.version is the stored version
  std::string created_at;
  std::string updated_at;
  std::string updated_by;
};

struct CohortRecord {
  std::int64_t project_id = 0;
  Cohort cohort;
  std::int64_t version = 0;
  std::string created_at;
  std::string updated_at;
};

struct Person {
  std::int64_t project_id = 0;
  std::string distinct_id;
  nlohmann::json properties = nlohmann::json::object();
  std::string created_at;
  std::string updated_at;
};

struct AuditEntry {
  std::int64_t id = 0;  // increasing
  std::optional<std::int64_t> project_id;
  std::string at;
  std::string actor;        // e.g. "admin:sy_adm_AbCd" (a key prefix, never a key)
  std::string action;       // "flag.create", "flag.update", "flag.delete", "project.create", ...
  std::string entity_type;  // "flag", "cohort", "project", "api_key"
  std::string entity_key;   // flag key, cohort id, project slug, key prefix
  nlohmann::json before;    // null when created
  nlohmann::json after;     // null when deleted
};

struct FlagQuery {
  std::optional<std::string> tag;  // flags carrying this tag
  std::optional<bool> active;
  std::optional<std::string> text;  // case-insensitive substring of key, name or description
};

struct PersonQuery {
  std::optional<std::string> after;  // keyset paging: only persons whose distinct_id sorts after it
  int offset = 0;                    // then skip this many
  int limit = 100;                   // by distinct_id
};

struct AuditQuery {
  std::optional<std::int64_t> project_id;
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_key;
  std::optional<std::int64_t> before_id;  // page backwards: entries with id < before_id
  int limit = 100;                        // newest first
};

// Who is making a change, for the audit log.
struct Actor {
  std::string name;
};

// What a first start writes: an admin key, the first project and that project's key.
struct BootstrapRequest {
  ApiKey admin_key;  // scope kAdmin
  std::string project_slug;
  std::string project_name;
  ApiKey project_key;  // scope kProject; its project_id is ignored (it gets the new project's)
};

struct BootstrapRecord {
  ApiKey admin_key;
  Project project;
  ApiKey project_key;
};

class Store {
 public:
  virtual ~Store() = default;

  // Projects. Slugs are unique (AlreadyExists).
  virtual Result<Project> CreateProject(const std::string& slug, const std::string& name,
                                        const Actor& actor) = 0;
  virtual Result<Project> GetProject(std::int64_t id) = 0;
  virtual Result<Project> GetProjectBySlug(const std::string& slug) = 0;
  virtual Result<std::vector<Project>> ListProjects() = 0;

  // API keys. Prefixes are unique (AlreadyExists).
  virtual Result<ApiKey> CreateApiKey(const ApiKey& key, const Actor& actor) = 0;
  virtual Result<std::vector<ApiKey>> ListApiKeys() = 0;  // all scopes, revoked included
  virtual Status RevokeApiKey(std::int64_t key_id, const Actor& actor) = 0;

  // First start, all or nothing: on a store with no project and no key, creates the admin key,
  // the project and the project key (each with its audit entry) in one transaction. A failure
  // at any step leaves the store as it was, so a key that was never shown is never stored. On a
  // store that has a project or a key: Conflict, nothing written (two servers starting on one
  // empty file bootstrap once).
  virtual Result<BootstrapRecord> Bootstrap(const BootstrapRequest& request, const Actor& actor) = 0;

  // Flags. Create assigns version 1 (the input version is ignored); AlreadyExists on a taken key.
  virtual Result<FlagRecord> CreateFlag(std::int64_t project_id, const Flag& flag, const Actor& actor) = 0;
  // Replaces the flag whose key is flag.key; Conflict unless its version == expected_version.
  virtual Result<FlagRecord> UpdateFlag(std::int64_t project_id, const Flag& flag,
                                        std::int64_t expected_version, const Actor& actor) = 0;
  virtual Status DeleteFlag(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                            const Actor& actor) = 0;
  virtual Result<FlagRecord> GetFlag(std::int64_t project_id, const std::string& key) = 0;
  virtual Result<std::vector<FlagRecord>> ListFlags(std::int64_t project_id,
                                                    const FlagQuery& query) = 0;  // by key

  // Cohorts, versioned like flags.
  virtual Result<CohortRecord> CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                            const Actor& actor) = 0;
  virtual Result<CohortRecord> UpdateCohort(std::int64_t project_id, const Cohort& cohort,
                                            std::int64_t expected_version, const Actor& actor) = 0;
  virtual Status DeleteCohort(std::int64_t project_id, const std::string& id, std::int64_t expected_version,
                              const Actor& actor) = 0;
  virtual Result<CohortRecord> GetCohort(std::int64_t project_id, const std::string& id) = 0;
  virtual Result<std::vector<CohortRecord>> ListCohorts(std::int64_t project_id) = 0;  // by id

  // Persons. Not audited (later issues feed them from events at volume).
  // Merges: `set` overwrites, `set_once` only fills absent keys, `unset` removes; creates the
  // person if needed. All three must be JSON objects (unset: an array of names).
  virtual Result<Person> UpdatePerson(std::int64_t project_id, const std::string& distinct_id,
                                      const nlohmann::json& set, const nlohmann::json& set_once,
                                      const nlohmann::json& unset) = 0;
  virtual Result<Person> ReplacePerson(std::int64_t project_id, const std::string& distinct_id,
                                       const nlohmann::json& properties) = 0;
  virtual Result<Person> GetPerson(std::int64_t project_id, const std::string& distinct_id) = 0;
  virtual Status DeletePerson(std::int64_t project_id, const std::string& distinct_id) = 0;
  virtual Result<std::vector<Person>> ListPersons(std::int64_t project_id, const PersonQuery& query) = 0;

  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) = 0;

  // True when the backend can serve requests (for /readyz).
  virtual bool Healthy() = 0;
};

}  // namespace switchyard::store
