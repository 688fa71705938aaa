// SqliteStore: the Store contract on one SQLite file.
//
// Design: WAL journal, so readers never block the writer nor each other. All writes go through
// one writer connection behind writer_mutex_, each in a BEGIN IMMEDIATE transaction that holds
// the change and its audit row; serializing writes in-process makes the version checks race-free
// and avoids SQLITE_BUSY between our own connections (busy_timeout covers other processes, such as
// the CLI). Reads take a connection from a small pool and run in parallel. Every connection caches
// its prepared statements. synchronous=FULL: configuration writes are rare, durability comes first.
//
// Definitions are stored as the JSON of flag_json.h (FlagToJson / CohortToJson) next to the
// columns queries filter on; a definition that no longer parses reads back as Corruption.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_connection_pool.h"
#include "store/store.h"

namespace switchyard::store {

struct SqliteStoreOptions {
  int reader_connections = 4;  // parallel reads; more than the server's worker threads is waste
};

// Thread-safety: every method may be called from any thread concurrently.
class SqliteStore final : public Store {
 public:
  // Opens or creates the database file (its directory must exist), applies pending migrations.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteStoreOptions& options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<Project> CreateProject(const std::string& slug, const std::string& name,
                                const Actor& actor) override;
  Result<Project> GetProject(std::int64_t id) override;
  Result<Project> GetProjectBySlug(const std::string& slug) override;
  Result<std::vector<Project>> ListProjects() override;

  Result<Environment> CreateEnvironment(std::int64_t project_id, const std::string& key,
                                        const std::string& name, const std::optional<std::string>& copy_from,
                                        const Actor& actor) override;
  Result<std::vector<Environment>> ListEnvironments(std::int64_t project_id) override;
  Result<std::vector<Environment>> ListAllEnvironments() override;

  Result<ApiKey> CreateApiKey(const ApiKey& key, const Actor& actor) override;
  Result<std::vector<ApiKey>> ListApiKeys() override;
  Status RevokeApiKey(std::int64_t key_id, const Actor& actor) override;
  Result<BootstrapRecord> Bootstrap(const BootstrapRequest& request, const Actor& actor) override;

  Result<FlagRecord> CreateFlag(std::int64_t project_id, const FlagRecord& record,
                                const Actor& actor) override;
  Result<FlagRecord> UpdateFlag(std::int64_t project_id, const FlagRecord& record,
                                std::int64_t expected_version, const Actor& actor) override;
  Status DeleteFlag(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                    const Actor& actor) override;
  Result<std::vector<FlagRecord>> ApplyFlags(std::int64_t project_id, const std::vector<FlagWrite>& writes,
                                             const Actor& actor) override;
  Result<FlagRecord> GetFlag(std::int64_t project_id, const std::string& key) override;
  Result<std::vector<FlagRecord>> ListFlags(std::int64_t project_id, const FlagQuery& query) override;

  Result<CohortRecord> CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                    const Actor& actor) override;
  Result<CohortRecord> UpdateCohort(std::int64_t project_id, const Cohort& cohort,
                                    std::int64_t expected_version, const Actor& actor) override;
  Status DeleteCohort(std::int64_t project_id, const std::string& id, std::int64_t expected_version,
                      const Actor& actor) override;
  Result<CohortRecord> GetCohort(std::int64_t project_id, const std::string& id) override;
  Result<std::vector<CohortRecord>> ListCohorts(std::int64_t project_id) override;

  Result<Person> UpdatePerson(std::int64_t project_id, const std::string& distinct_id,
                              const nlohmann::json& set, const nlohmann::json& set_once,
                              const nlohmann::json& unset) override;
  Result<Person> ReplacePerson(std::int64_t project_id, const std::string& distinct_id,
                               const nlohmann::json& properties) override;
  Result<Person> GetPerson(std::int64_t project_id, const std::string& distinct_id) override;
  Status DeletePerson(std::int64_t project_id, const std::string& distinct_id) override;
  Result<std::vector<Person>> ListPersons(std::int64_t project_id, const PersonQuery& query) override;
  Status UpdatePersons(const std::vector<PersonUpdate>& updates) override;
  Status UpdateGroups(const std::vector<GroupUpdate>& updates) override;
  Result<std::vector<GroupType>> ListGroupTypes(std::int64_t project_id) override;
  Result<GroupType> CreateGroupType(std::int64_t project_id, const std::string& name,
                                    const Actor& actor) override;
  Result<Group> GetGroup(std::int64_t project_id, const std::string& group_type,
                         const std::string& group_key) override;

  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) override;

  Status RecordFlagEvaluations(const std::vector<FlagEvaluationStats>& deltas) override;
  Result<std::vector<FlagEvaluationStats>> ListFlagEvaluations(std::int64_t environment_id) override;
  Result<FlagSchedule> CreateFlagSchedule(std::int64_t project_id, const FlagSchedule& schedule,
                                          const Actor& actor) override;
  Result<std::vector<FlagSchedule>> ListFlagSchedules(std::int64_t project_id,
                                                      const std::string& flag_key) override;
  Result<FlagSchedule> CancelFlagSchedule(std::int64_t project_id, const std::string& flag_key,
                                          std::int64_t id, const Actor& actor) override;
  Result<std::vector<FlagSchedule>> ListDueFlagSchedules(const std::string& now,
                                                         const std::string& abandoned_before) override;
  Result<bool> ClaimFlagSchedule(std::int64_t id, const std::string& now,
                                 const std::string& abandoned_before) override;
  Status FinishFlagSchedule(std::int64_t id, const std::string& status, const std::string& result) override;

  Result<ExperimentRecord> CreateExperiment(std::int64_t project_id,
                                            const experiments::Experiment& experiment,
                                            const Actor& actor) override;
  Result<ExperimentRecord> UpdateExperiment(std::int64_t project_id,
                                            const experiments::Experiment& experiment,
                                            std::int64_t expected_version, const Actor& actor) override;
  Status DeleteExperiment(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                          const Actor& actor) override;
  Result<ExperimentRecord> GetExperiment(std::int64_t project_id, const std::string& key) override;
  Result<std::vector<ExperimentRecord>> ListExperiments(std::int64_t project_id) override;
  Result<double> GetExperimentHoldout(std::int64_t project_id) override;
  Status SetExperimentHoldout(std::int64_t project_id, double percent, const Actor& actor) override;

  bool Healthy() override;

  Result<experiments::MetricDefinition> CreateMetric(std::int64_t project_id,
                                                     const experiments::MetricDefinition& metric,
                                                     const Actor& actor) override;
  Result<experiments::MetricDefinition> ReplaceMetric(std::int64_t project_id,
                                                      const experiments::MetricDefinition& metric,
                                                      const Actor& actor) override;
  Status DeleteMetric(std::int64_t project_id, const std::string& key, const Actor& actor) override;
  Result<experiments::MetricDefinition> GetMetric(std::int64_t project_id, const std::string& key) override;
  Result<std::vector<experiments::MetricDefinition>> ListMetrics(std::int64_t project_id) override;
  Result<registry::ModelVersion> CreateModelVersion(std::int64_t project_id,
                                                    const registry::ModelVersion& model,
                                                    const Actor& actor) override;
  Result<registry::ModelVersion> GetModelVersion(std::int64_t project_id, const std::string& name,
                                                 const std::string& version) override;
  Result<std::vector<registry::ModelVersion>> ListModelVersions(std::int64_t project_id) override;
  Result<registry::ModelVersion> TransitionModelVersion(std::int64_t project_id, const std::string& name,
                                                        const std::string& version, registry::ModelState to,
                                                        const std::string& reason,
                                                        const Actor& actor) override;
  Result<std::vector<registry::ModelAlias>> ListModelAliases(std::int64_t project_id) override;
  Result<registry::AliasMove> MoveModelAlias(std::int64_t project_id, const std::string& name,
                                             const std::string& alias,
                                             const std::optional<std::string>& version,
                                             const std::string& reason, const Actor& actor) override;
  Result<std::vector<registry::AliasMove>> ListModelAliasHistory(std::int64_t project_id,
                                                                 const std::string& name,
                                                                 const std::string& alias) override;
  Result<registry::RouteDefinition> CreateRoute(std::int64_t project_id,
                                                const registry::RouteDefinition& route,
                                                const Actor& actor) override;
  Result<registry::RouteDefinition> UpdateRoute(std::int64_t project_id,
                                                const registry::RouteDefinition& route,
                                                std::int64_t expected_version, const Actor& actor) override;
  Status DeleteRoute(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                     const Actor& actor) override;
  Result<registry::RouteDefinition> GetRoute(std::int64_t project_id, const std::string& key) override;
  Result<std::vector<registry::RouteDefinition>> ListRoutes(std::int64_t project_id) override;

 private:
  // One audit row, written on the writer connection inside the caller's transaction.
  struct AuditRecord {
    std::optional<std::int64_t> project_id;
    std::string action;
    std::string entity_type;
    std::string entity_key;
    nlohmann::json before;
    nlohmann::json after;
  };

  SqliteStore(std::unique_ptr<sqlite::Connection> writer,
              std::vector<std::unique_ptr<sqlite::Connection>> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {}

  // Runs `fn(writer)` inside one IMMEDIATE transaction, committed only if fn's result is ok.
  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<sqlite::Connection&>())) {
    MutexLock lock(writer_mutex_);
    sqlite::Transaction transaction(*writer_);
    if (Status s = transaction.BeginImmediate(); !s.ok()) return s;
    auto result = fn(*writer_);
    if (!result.ok()) return result;
    if (Status s = transaction.Commit(); !s.ok()) return s;
    return result;
  }

  // Runs `fn(reader)` on a pooled reader connection.
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<sqlite::Connection&>())) {
    sqlite::ConnectionPool::Lease reader = readers_.Acquire();
    return fn(*reader);
  }

  static Status AppendAudit(sqlite::Connection& writer, const Actor& actor, const AuditRecord& record);
  // The flag writes with their audit entries, inside the caller's transaction.
  static Result<FlagRecord> InsertFlag(sqlite::Connection& writer, std::int64_t project_id,
                                       const FlagRecord& input, const Actor& actor);
  static Result<FlagRecord> ReplaceFlag(sqlite::Connection& writer, std::int64_t project_id,
                                        const FlagRecord& input, std::int64_t expected_version,
                                        const Actor& actor);
  static Result<FlagRecord> RemoveFlag(sqlite::Connection& writer, std::int64_t project_id,
                                       const std::string& key, std::int64_t expected_version,
                                       const Actor& actor);
  // The writes of CreateProject and CreateApiKey, inside the caller's transaction.
  static Result<Project> InsertProject(sqlite::Connection& writer, const std::string& slug,
                                       const std::string& name, const Actor& actor);
  static Result<ApiKey> InsertApiKey(sqlite::Connection& writer, const ApiKey& key, const Actor& actor);
  static Result<Environment> InsertEnvironment(sqlite::Connection& writer, std::int64_t project_id,
                                               const std::string& key, const std::string& name,
                                               const Actor& actor, bool audited);
  // The project's environment keys in creation order, read on `connection`.
  static Result<std::vector<std::string>> EnvironmentKeys(sqlite::Connection& connection,
                                                          std::int64_t project_id);

  Mutex writer_mutex_;
  std::unique_ptr<sqlite::Connection> writer_ GUARDED_BY(writer_mutex_);
  sqlite::ConnectionPool readers_;
};

// Opens or creates the database at `path`. The caller creates the directory.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options = SqliteStoreOptions{});

}  // namespace switchyard::store
