// MemoryStore: the Store contract held in process memory, for tests, demos and `--store memory`.
// Nothing survives the process. One std::shared_mutex guards everything: reads share it, every
// mutation (and its audit entry) happens under the exclusive lock, which is what makes each call
// atomic and the version checks race-free.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/thread_annotations.h"
#include "store/store.h"

namespace switchyard::store {

// Thread-safety: every method may be called from any thread concurrently.
class MemoryStore final : public Store {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

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

  bool Healthy() override { return true; }

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
  // A project and everything that belongs to it.
  struct ProjectState {
    Project project;
    std::vector<Environment> environments;  // in creation order
    std::map<std::string, FlagRecord> flags;
    std::map<std::string, CohortRecord> cohorts;
    std::map<std::string, Person> persons;              // by person id; distinct_ids kept up to date
    std::map<std::string, std::string> person_aliases;  // every other distinct id -> its person's id
    std::vector<GroupType> group_types;                 // by index
    std::map<std::pair<std::string, std::string>, Group> groups;  // by (type, key)
    std::map<std::string, ExperimentRecord> experiments;
    double experiment_holdout_percent = 0;
    std::map<std::string, experiments::MetricDefinition> metrics;
    // The model registry: versions and aliases by (name, version|alias), each alias's moves
    // oldest first, routes by key.
    std::map<std::pair<std::string, std::string>, registry::ModelVersion> models;
    std::map<std::pair<std::string, std::string>, registry::ModelAlias> aliases;
    std::map<std::pair<std::string, std::string>, std::vector<registry::AliasMove>> alias_history;
    std::map<std::string, registry::RouteDefinition> routes;
  };

  ProjectState* FindProject(std::int64_t project_id) REQUIRES_SHARED(mu_);
  // The person `distinct_id` names (created when absent), after merging `alias`'s into it.
  static Person& PersonFor(ProjectState& state, const std::string& distinct_id, const std::string& now);
  static void MergePersons(ProjectState& state, const std::string& distinct_id, const std::string& alias,
                           const std::string& now);
  static const std::string& PersonIdOf(const ProjectState& state, const std::string& distinct_id);
  Result<Project> CreateProjectLocked(const std::string& slug, const std::string& name, const Actor& actor)
      REQUIRES(mu_);
  Result<ApiKey> CreateApiKeyLocked(const ApiKey& key, const Actor& actor) REQUIRES(mu_);
  Result<Environment> CreateEnvironmentLocked(ProjectState& state, const std::string& key,
                                              const std::string& name, const Actor& actor, bool audited)
      REQUIRES(mu_);
  static std::vector<std::string> EnvironmentKeys(const ProjectState& state);
  // Pending, or firing since before `abandoned_before` (its claimer died).
  static bool Claimable(const FlagSchedule& schedule, const std::string& abandoned_before);
  // The flag writes, each with its audit entry; a failure leaves the state partly changed (the
  // callers restore it).
  Result<FlagRecord> CreateFlagLocked(ProjectState& state, const FlagRecord& input, const Actor& actor)
      REQUIRES(mu_);
  Result<FlagRecord> UpdateFlagLocked(ProjectState& state, const FlagRecord& input,
                                      std::int64_t expected_version, const Actor& actor) REQUIRES(mu_);
  Result<FlagRecord> DeleteFlagLocked(ProjectState& state, const std::string& key,
                                      std::int64_t expected_version, const Actor& actor) REQUIRES(mu_);
  // Bootstrap's steps, stopping at the first failure (Bootstrap rolls back).
  Result<BootstrapRecord> BootstrapLocked(const BootstrapRequest& request, const Actor& actor) REQUIRES(mu_);
  // Points the alias at `to` (which must exist and not be archived) and appends the move.
  Result<registry::AliasMove> MoveAliasLocked(ProjectState& state, const std::string& name,
                                              const std::string& alias, const std::string& to,
                                              const std::string& reason, const std::string& actor,
                                              bool rollback) REQUIRES(mu_);
  void AppendAudit(std::optional<std::int64_t> project_id, const Actor& actor, std::string action,
                   std::string entity_type, std::string entity_key, nlohmann::json before,
                   nlohmann::json after) REQUIRES(mu_);

  SharedMutex mu_;
  std::map<std::int64_t, ProjectState> projects_ GUARDED_BY(mu_);
  std::map<std::string, std::int64_t> project_ids_by_slug_ GUARDED_BY(mu_);
  std::map<std::int64_t, ApiKey> api_keys_ GUARDED_BY(mu_);
  std::vector<AuditEntry> audit_ GUARDED_BY(mu_);  // audit_[i].id == i + 1
  std::int64_t next_project_id_ GUARDED_BY(mu_) = 1;
  std::int64_t next_api_key_id_ GUARDED_BY(mu_) = 1;
  std::int64_t next_environment_id_ GUARDED_BY(mu_) = 1;
  // By (environment id, flag key).
  std::map<std::pair<std::int64_t, std::string>, FlagEvaluationStats> evaluations_ GUARDED_BY(mu_);
  std::map<std::int64_t, FlagSchedule> schedules_ GUARDED_BY(mu_);  // by id
  std::int64_t next_schedule_id_ GUARDED_BY(mu_) = 1;
  std::int64_t next_alias_move_id_ GUARDED_BY(mu_) = 1;
};

std::unique_ptr<Store> NewMemoryStore();

}  // namespace switchyard::store
