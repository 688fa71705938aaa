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
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/experiment.h"
#include "experiments/metric_definition.h"
#include "registry/model_alias.h"
#include "registry/model_version.h"
#include "registry/route_definition.h"
#include "switchyard/flag.h"
#include "switchyard/status.h"

namespace switchyard::store {

struct Project {
  std::int64_t id = 0;
  std::string slug;  // unique, [a-z0-9-]{1,64}; used in URLs
  std::string name;
  std::string created_at;
};

// A project's environment (development, staging, production, and any added later). Keys are
// immutable: they name the environment in URLs, keys and flag records. Ids are unique across
// projects, so an environment id alone names one published snapshot.
struct Environment {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::string key;  // [a-z0-9-]{1,64}, unique in the project
  std::string name;
  std::string created_at;
};

// What every new project gets, in promotion order. The last one is where data that predates
// environments lives, and what a flag read without naming an environment shows at its top level.
inline const std::vector<std::string>& DefaultEnvironmentKeys() {
  static const std::vector<std::string> keys{"development", "staging", "production"};
  return keys;
}
inline constexpr char kPrimaryEnvironment[] = "production";

// kSecret: a project's back-end key (PostHog's secret / personal key for local evaluation): like
// a project key it evaluates and ingests in its environment, and it may also read the flag
// definitions for local evaluation; it never manages anything.
enum class KeyScope { kAdmin, kProject, kSecret };

// An API key as stored: never the key itself, only its SHA-256 (hex) and a public lookup prefix.
struct ApiKey {
  std::int64_t id = 0;
  KeyScope scope = KeyScope::kProject;
  std::optional<std::int64_t> project_id;  // set for project (and secret) keys
  std::optional<std::int64_t>
      environment_id;  // set for stored project (and secret) keys: they evaluate one environment
  std::string label;
  std::string prefix;    // the first characters of the key, unique, safe to show and log
  std::string hash_hex;  // SHA-256 of the whole key, lower-case hex
  std::string created_at;
  bool revoked = false;
};

// A flag as stored: its shared definition and each environment's targeting. One version covers
// the whole record, so an If-Match guards a flag in every environment at once.
struct FlagRecord {
  std::int64_t project_id = 0;
  // The definition every environment shares; flag.version is the stored version. Its targeting
  // fields (active, groups, variants, payloads) are not part of the record: see `environments`.
  Flag flag;
  std::map<std::string, FlagTargeting> environments;  // by environment key; absent = off there
  std::string created_at;
  std::string updated_at;
  std::string updated_by;
  // Archived flags are shared across environments: off everywhere, out of the default lists, their
  // targeting kept (and editable) for when they are unarchived.
  bool archived = false;
  std::string archived_at;  // when archived; empty otherwise

  // The flag as the environment evaluates it.
  Flag In(const std::string& environment) const {
    auto it = environments.find(environment);
    Flag view = WithTargeting(flag, it == environments.end() ? FlagTargeting{} : it->second);
    if (archived) view.active = false;
    return view;
  }
};

// The record of a flag that every one of `environments` targets the way `flag` does: what a write
// that names no environment stores.
inline FlagRecord Everywhere(const Flag& flag,
                             const std::vector<std::string>& environments = DefaultEnvironmentKeys()) {
  FlagRecord record;
  record.flag = DefinitionOf(flag);
  for (const std::string& key : environments) record.environments[key] = TargetingOf(flag);
  return record;
}

// One step of Store::ApplyFlags.
struct FlagWrite {
  enum class Kind { kCreate, kUpdate, kDelete };
  Kind kind = Kind::kCreate;
  FlagRecord record;                  // create, update: the flag (record.flag.key names it)
  std::string key;                    // delete: the flag to delete
  std::int64_t expected_version = 0;  // update, delete: the version the change is based on
  std::string environment;            // for the audit entry: the environment the change names, if one
};

struct CohortRecord {
  std::int64_t project_id = 0;
  Cohort cohort;
  std::int64_t version = 0;
  std::string created_at;
  std::string updated_at;
};

// A person: one set of properties that several distinct ids may name (an anonymous id and the id
// it was identified as, aliases). `distinct_id` is the person's id (the first id it was stored
// under); any of its ids finds it.
struct Person {
  std::int64_t project_id = 0;
  std::string distinct_id;
  nlohmann::json properties = nlohmann::json::object();
  std::string created_at;
  std::string updated_at;
  std::vector<std::string> distinct_ids;  // every id of the person, distinct_id first; filled by reads
};

// PostHog's group analytics: a project names at most kMaxGroupTypes group types ("company",
// "team"), each with a stable index (PostHog's group_type_mapping), assigned in the order they
// are first seen. Flags aggregated by group refer to the index.
inline constexpr int kMaxGroupTypes = 5;

struct GroupType {
  std::int64_t project_id = 0;
  std::string name;
  int index = 0;  // 0..kMaxGroupTypes-1, never reused or changed
};

struct Group {
  std::int64_t project_id = 0;
  std::string group_type;
  std::string group_key;
  nlohmann::json properties = nlohmann::json::object();
  std::string created_at;
  std::string updated_at;
};

// One $groupidentify: `set` ($group_set) overwrites the group's properties key by key.
struct GroupUpdate {
  std::int64_t project_id = 0;
  std::string group_type;
  std::string group_key;
  nlohmann::json set = nlohmann::json::object();
};

struct AuditEntry {
  std::int64_t id = 0;  // increasing
  std::optional<std::int64_t> project_id;
  std::string at;
  std::string actor;        // e.g. "admin:sy_adm_AbCd" (a key prefix, never a key)
  std::string action;       // "flag.create", "flag.update", "flag.delete", "project.create", ...
  std::string entity_type;  // "flag", "cohort", "project", "api_key"
  std::string entity_key;   // flag key, cohort id, project slug, key prefix
  std::optional<std::string> environment;  // the environment a change was made in, when it named one
  nlohmann::json before;                   // null when created
  nlohmann::json after;                    // null when deleted
};

struct FlagQuery {
  std::optional<std::string> tag;  // flags carrying this tag
  std::optional<bool> active;      // active (or not) in `environment`
  std::string environment = kPrimaryEnvironment;
  std::optional<std::string> text;  // case-insensitive substring of key, name or description
  std::optional<bool> archived;     // archived (or not); unset: both
};

// --- Flag lifecycle: evaluation counters and scheduled changes --------------------------------

// When a flag was last evaluated in an environment and how many times (the stale report's
// source). The server counts in memory and records deltas now and then, never per evaluation.
struct FlagEvaluationStats {
  std::int64_t environment_id = 0;
  std::string flag_key;
  std::string last_evaluated_at;  // RFC 3339 UTC, like every stored timestamp
  std::int64_t count = 0;
};

// A change to a flag that the server makes at `at`. Status goes pending -> firing (claimed by one
// server) -> done | failed; or pending -> cancelled.
struct FlagSchedule {
  std::int64_t id = 0;
  std::int64_t project_id = 0;
  std::string flag_key;
  std::string environment;  // empty: every environment
  std::string at;           // RFC 3339 UTC
  nlohmann::json change;    // {"active": bool} or {"rollout_percentage": number}
  std::string status;       // kSchedulePending, ...
  std::string created_at;
  std::string created_by;  // the actor who scheduled it
  std::string fired_at;    // empty until it fired (or failed)
  std::string result;      // why it failed, or what it did
};
inline constexpr char kSchedulePending[] = "pending";
inline constexpr char kScheduleFiring[] = "firing";
inline constexpr char kScheduleDone[] = "done";
inline constexpr char kScheduleFailed[] = "failed";
inline constexpr char kScheduleCancelled[] = "cancelled";

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

// Who is making a change, and in which environment when it names one, for the audit log.
struct Actor {
  Actor() = default;
  Actor(std::string actor_name,
        std::string in_environment = {})  // NOLINT: implicit, like the aggregate it was
      : name(std::move(actor_name)), environment(std::move(in_environment)) {}

  std::string name;
  std::string environment;  // empty when the change names no environment
};

// What a first start writes: an admin key, the first project and that project's key.
struct BootstrapRequest {
  ApiKey admin_key;  // scope kAdmin
  std::string project_slug;
  std::string project_name;
  // scope kProject; its project_id and environment_id are ignored: it gets the new project's
  // kPrimaryEnvironment.
  ApiKey project_key;
};

struct BootstrapRecord {
  ApiKey admin_key;
  Project project;
  ApiKey project_key;
};

// One identify's change to a person, for Store::UpdatePersons: the arguments of UpdatePerson.
struct PersonUpdate {
  std::int64_t project_id = 0;
  std::string distinct_id;
  nlohmann::json set;       // null or an object
  nlohmann::json set_once;  // null or an object
  nlohmann::json unset;     // null or an array of names
  // When set ($identify's $anon_distinct_id, $create_alias's alias): before the properties
  // change, the person `alias` names becomes the person `distinct_id` names: one person with
  // both persons' ids, and properties merged with distinct_id's person winning on a clash.
  std::string alias;
};

// An experiment as stored: its definition and state (experiment.version is the stored version).
struct ExperimentRecord {
  std::int64_t project_id = 0;
  experiments::Experiment experiment;
  std::string created_at;
  std::string updated_at;
  std::string updated_by;
};

// The largest project-wide experiment holdout: past it too few users are left to experiment on.
inline constexpr double kMaxExperimentHoldoutPercent = 50;

class Store {
 public:
  virtual ~Store() = default;

  // Projects. Slugs are unique (AlreadyExists). A new project gets DefaultEnvironmentKeys().
  virtual Result<Project> CreateProject(const std::string& slug, const std::string& name,
                                        const Actor& actor) = 0;
  virtual Result<Project> GetProject(std::int64_t id) = 0;
  virtual Result<Project> GetProjectBySlug(const std::string& slug) = 0;
  virtual Result<std::vector<Project>> ListProjects() = 0;

  // Environments, in creation order. Create with `copy_from` gives every flag the targeting it has
  // in that environment (without a new flag version: the flags' other environments are
  // unchanged); without it the new environment serves every flag off.
  virtual Result<Environment> CreateEnvironment(std::int64_t project_id, const std::string& key,
                                                const std::string& name,
                                                const std::optional<std::string>& copy_from,
                                                const Actor& actor) = 0;
  virtual Result<std::vector<Environment>> ListEnvironments(std::int64_t project_id) = 0;
  // Every project's environments (for the snapshots and the key ring), by id.
  virtual Result<std::vector<Environment>> ListAllEnvironments() = 0;

  // API keys. Prefixes are unique (AlreadyExists). A project key created without an environment
  // gets its project's kPrimaryEnvironment; one naming another project's is InvalidArgument.
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
  // `record` is the definition and each environment's targeting (its project_id and timestamps are
  // ignored); targeting for an environment the project does not have is InvalidArgument.
  virtual Result<FlagRecord> CreateFlag(std::int64_t project_id, const FlagRecord& record,
                                        const Actor& actor) = 0;
  // Replaces the flag whose key is record.flag.key; Conflict unless its version == expected_version.
  virtual Result<FlagRecord> UpdateFlag(std::int64_t project_id, const FlagRecord& record,
                                        std::int64_t expected_version, const Actor& actor) = 0;
  virtual Status DeleteFlag(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                            const Actor& actor) = 0;
  // Several creates, updates and deletes as one change, in order, in one transaction: each is
  // checked and audited as its single-flag call would be, and the first failure rolls every one
  // back (nothing is written). Answers one record per write: the stored flag (create, update) or
  // the one deleted.
  virtual Result<std::vector<FlagRecord>> ApplyFlags(std::int64_t project_id,
                                                     const std::vector<FlagWrite>& writes,
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
  // Many UpdatePerson calls in one transaction (the event pipeline's group commit: one fsync for
  // many identifies), applied in order, so two updates of one person both take effect. All or
  // nothing: every update is validated first; an invalid one (InvalidArgument, field
  // "updates[i].<field>") or an unknown project (NotFound) writes none of them.
  virtual Status UpdatePersons(const std::vector<PersonUpdate>& updates) = 0;

  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) = 0;

  // --- Flag lifecycle ---
  // Archiving is an UpdateFlag whose record changes `archived`: audited as "flag.archive" /
  // "flag.unarchive" rather than "flag.update".
  //
  // Adds each delta to the stored stats: count += delta.count, last_evaluated_at = the later one.
  // Not audited (bookkeeping, not a change anyone made). Deltas for unknown environments are
  // skipped.
  virtual Status RecordFlagEvaluations(const std::vector<FlagEvaluationStats>& deltas) = 0;
  virtual Result<std::vector<FlagEvaluationStats>> ListFlagEvaluations(std::int64_t environment_id) = 0;
  // Stores a pending schedule (its id, status and created_* are assigned) for an existing flag
  // (NotFound otherwise); audited as "flag.schedule".
  virtual Result<FlagSchedule> CreateFlagSchedule(std::int64_t project_id, const FlagSchedule& schedule,
                                                  const Actor& actor) = 0;
  virtual Result<std::vector<FlagSchedule>> ListFlagSchedules(std::int64_t project_id,
                                                              const std::string& flag_key) = 0;  // by id
  // Pending -> cancelled, audited as "flag.unschedule"; NotFound, or Conflict when not pending.
  virtual Result<FlagSchedule> CancelFlagSchedule(std::int64_t project_id, const std::string& flag_key,
                                                  std::int64_t id, const Actor& actor) = 0;
  // Every project's pending schedules due at `now` (at <= now), and those claimed (firing) before
  // `abandoned_before` (empty: none): the claimer died before finishing them. By at then id.
  virtual Result<std::vector<FlagSchedule>> ListDueFlagSchedules(const std::string& now,
                                                                 const std::string& abandoned_before) = 0;
  // Pending (or firing since before `abandoned_before`) -> firing since `now` (kept in fired_at),
  // atomically: true for the one caller that claimed it, false when it was not pending (another
  // server claimed or someone cancelled it). Re-firing an abandoned claim is safe: the changes are
  // "set to", so one that was applied before the crash writes nothing the second time.
  virtual Result<bool> ClaimFlagSchedule(std::int64_t id, const std::string& now,
                                         const std::string& abandoned_before) = 0;
  // Firing -> `status` (done or failed) with `result`, fired_at now.
  virtual Status FinishFlagSchedule(std::int64_t id, const std::string& status,
                                    const std::string& result) = 0;

  // --- Experiments ---
  // Versioned and audited like flags (entity "experiment", the key): create assigns version 1
  // (AlreadyExists on a taken key; the input's state is stored as given), update and delete take
  // the version the change is based on (Conflict otherwise). An update that changes the status is
  // audited as experiment.start / .pause / .stop / .ship, any other as experiment.update. The
  // store checks only what keeps a record readable (the key's syntax); the experiment service
  // checks the rest.
  virtual Result<ExperimentRecord> CreateExperiment(std::int64_t project_id,
                                                    const experiments::Experiment& experiment,
                                                    const Actor& actor) = 0;
  virtual Result<ExperimentRecord> UpdateExperiment(std::int64_t project_id,
                                                    const experiments::Experiment& experiment,
                                                    std::int64_t expected_version, const Actor& actor) = 0;
  virtual Status DeleteExperiment(std::int64_t project_id, const std::string& key,
                                  std::int64_t expected_version, const Actor& actor) = 0;
  virtual Result<ExperimentRecord> GetExperiment(std::int64_t project_id, const std::string& key) = 0;
  virtual Result<std::vector<ExperimentRecord>> ListExperiments(std::int64_t project_id) = 0;  // by key
  // The project's holdout: the percent of its users kept out of every experiment (0 until set).
  // Set takes 0..kMaxExperimentHoldoutPercent (InvalidArgument on "percent"), audited as
  // "project.holdout" on the project.
  virtual Result<double> GetExperimentHoldout(std::int64_t project_id) = 0;
  virtual Status SetExperimentHoldout(std::int64_t project_id, double percent, const Actor& actor) = 0;

  // True when the backend can serve requests (for /readyz).
  virtual bool Healthy() = 0;

  // --- Metric definitions (experiments) ---
  // A project's own definitions, by key (the built-in model-traffic metrics are not stored: the
  // server adds them). Keys are unique per project (AlreadyExists, field "key"); a definition is
  // checked with experiments::ValidateMetric (InvalidArgument). Audited as "metric.create",
  // "metric.update", "metric.delete" (entity_type "metric").
  virtual Result<experiments::MetricDefinition> CreateMetric(std::int64_t project_id,
                                                             const experiments::MetricDefinition& metric,
                                                             const Actor& actor) = 0;
  // Replaces the definition whose key is metric.key (NotFound, field "key").
  virtual Result<experiments::MetricDefinition> ReplaceMetric(std::int64_t project_id,
                                                              const experiments::MetricDefinition& metric,
                                                              const Actor& actor) = 0;
  virtual Status DeleteMetric(std::int64_t project_id, const std::string& key, const Actor& actor) = 0;
  virtual Result<experiments::MetricDefinition> GetMetric(std::int64_t project_id,
                                                          const std::string& key) = 0;
  virtual Result<std::vector<experiments::MetricDefinition>> ListMetrics(std::int64_t project_id) = 0;

  // --- Groups (not audited: fed by $groupidentify events) ---
  // In order, in one transaction (all or nothing, like UpdatePersons): a group type seen for the
  // first time gets the next free index; an update for a type beyond kMaxGroupTypes is skipped
  // (PostHog drops them too). `set` must be an object (InvalidArgument, "updates[i].$group_set").
  virtual Status UpdateGroups(const std::vector<GroupUpdate>& updates) = 0;
  virtual Result<std::vector<GroupType>> ListGroupTypes(std::int64_t project_id) = 0;  // by index
  // Declares a group type ahead of its first $groupidentify (flags aggregated by it can then be
  // created and shipped): the next free index. AlreadyExists (field "name") when the project has
  // it, Conflict when all kMaxGroupTypes indexes are taken. Audited as "group_type.create".
  virtual Result<GroupType> CreateGroupType(std::int64_t project_id, const std::string& name,
                                            const Actor& actor) = 0;
  virtual Result<Group> GetGroup(std::int64_t project_id, const std::string& group_type,
                                 const std::string& group_key) = 0;

  // --- Model registry (registry/*.h holds the rules every backend applies) ---
  // Registers a new version (validated with registry::ValidateModelVersion; AlreadyExists on a
  // taken name@version, field "version"), state registered, created_by = the actor, created_at =
  // now. In the same transaction `latest` moves to it when it is the highest version of the name
  // (registry::MovesLatest), with a history entry. Audited as "model.register" (entity "model",
  // key name@version).
  virtual Result<registry::ModelVersion> CreateModelVersion(std::int64_t project_id,
                                                            const registry::ModelVersion& model,
                                                            const Actor& actor) = 0;
  virtual Result<registry::ModelVersion> GetModelVersion(std::int64_t project_id, const std::string& name,
                                                         const std::string& version) = 0;
  // Every version of the project, by name then version order.
  virtual Result<std::vector<registry::ModelVersion>> ListModelVersions(std::int64_t project_id) = 0;
  // registry::CheckTransition (Conflict naming from and to); archiving a version an alias points
  // at is Conflict too. Audited as "model.transition" with the reason in the entry's after.reason.
  virtual Result<registry::ModelVersion> TransitionModelVersion(
      std::int64_t project_id, const std::string& name, const std::string& version, registry::ModelState to,
      const std::string& reason, const Actor& actor) = 0;
  // Every alias of the project, by name then alias.
  virtual Result<std::vector<registry::ModelAlias>> ListModelAliases(std::int64_t project_id) = 0;
  // Points name@alias at `version` (creating the alias), or with no version rolls it back
  // (registry::RollbackTarget). The target must exist (NotFound, field "version") and not be
  // archived (Conflict). Appends the move to the alias's history; audited as "model.alias" or
  // "model.rollback" (entity "model_alias", key name@alias).
  virtual Result<registry::AliasMove> MoveModelAlias(std::int64_t project_id, const std::string& name,
                                                     const std::string& alias,
                                                     const std::optional<std::string>& version,
                                                     const std::string& reason, const Actor& actor) = 0;
  // Oldest first; NotFound (field "alias") when the alias does not exist.
  virtual Result<std::vector<registry::AliasMove>> ListModelAliasHistory(std::int64_t project_id,
                                                                         const std::string& name,
                                                                         const std::string& alias) = 0;

  // --- Gateway routes: versioned and audited like flags (entity "route", the key) ---
  virtual Result<registry::RouteDefinition> CreateRoute(std::int64_t project_id,
                                                        const registry::RouteDefinition& route,
                                                        const Actor& actor) = 0;
  virtual Result<registry::RouteDefinition> UpdateRoute(std::int64_t project_id,
                                                        const registry::RouteDefinition& route,
                                                        std::int64_t expected_version,
                                                        const Actor& actor) = 0;
  virtual Status DeleteRoute(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                             const Actor& actor) = 0;
  virtual Result<registry::RouteDefinition> GetRoute(std::int64_t project_id, const std::string& key) = 0;
  virtual Result<std::vector<registry::RouteDefinition>> ListRoutes(std::int64_t project_id) = 0;  // by key
};

}  // namespace switchyard::store
