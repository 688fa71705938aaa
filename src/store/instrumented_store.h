// InstrumentedStore: a Store decorator that times every call of the wrapped store and reports
// (operation, elapsed) to a StoreObserver (the server's metrics). It changes no result: every
// value and Status of the inner store is returned as is.
//
// Thread-safety: as the inner store; the observer must accept calls from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

#include "store/steady_clock.h"
#include "store/store.h"

namespace switchyard::store {

// One value per Store method; kCount is the number of operations (for arrays indexed by them).
enum class StoreOperation {
  kCreateProject,
  kGetProject,
  kGetProjectBySlug,
  kListProjects,
  kCreateApiKey,
  kListApiKeys,
  kRevokeApiKey,
  kCreateFlag,
  kUpdateFlag,
  kDeleteFlag,
  kGetFlag,
  kListFlags,
  kCreateCohort,
  kUpdateCohort,
  kDeleteCohort,
  kGetCohort,
  kListCohorts,
  kUpdatePerson,
  kReplacePerson,
  kGetPerson,
  kDeletePerson,
  kListPersons,
  kListAudit,
  kHealthy,
  kBootstrap,
  kCreateEnvironment,
  kListEnvironments,
  kListAllEnvironments,
  kApplyFlags,
  kUpdatePersons,
  kRecordFlagEvaluations,
  kListFlagEvaluations,
  kCreateFlagSchedule,
  kListFlagSchedules,
  kCancelFlagSchedule,
  kListDueFlagSchedules,
  kClaimFlagSchedule,
  kFinishFlagSchedule,
  kCreateExperiment,
  kUpdateExperiment,
  kDeleteExperiment,
  kGetExperiment,
  kListExperiments,
  kGetExperimentHoldout,
  kSetExperimentHoldout,
  kCreateMetric,
  kReplaceMetric,
  kDeleteMetric,
  kGetMetric,
  kListMetrics,
  kUpdateGroups,
  kListGroupTypes,
  kCreateGroupType,
  kGetGroup,
  kCreateModelVersion,
  kGetModelVersion,
  kListModelVersions,
  kTransitionModelVersion,
  kListModelAliases,
  kMoveModelAlias,
  kListModelAliasHistory,
  kCreateRoute,
  kUpdateRoute,
  kDeleteRoute,
  kGetRoute,
  kListRoutes,
  kCount,
};

inline constexpr std::size_t kStoreOperationCount = static_cast<std::size_t>(StoreOperation::kCount);

// snake_case name used as a metric label, e.g. "get_person".
std::string_view StoreOperationName(StoreOperation operation);

class StoreObserver {
 public:
  virtual ~StoreObserver() = default;
  virtual void OnStoreOperation(StoreOperation operation, std::chrono::nanoseconds elapsed) = 0;
};

class InstrumentedStore final : public Store {
 public:
  InstrumentedStore(std::unique_ptr<Store> inner, StoreObserver& observer,
                    SteadyClock clock = RealSteadyClock());

  Result<BootstrapRecord> Bootstrap(const BootstrapRequest& request, const Actor& actor) override;
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
  template <typename Call>
  auto Timed(StoreOperation operation, Call&& call);

  std::unique_ptr<Store> inner_;
  StoreObserver& observer_;
  SteadyClock clock_;
};

}  // namespace switchyard::store
