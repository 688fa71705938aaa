#include "store/instrumented_store.h"

#include <array>
#include <utility>

namespace switchyard::store {
namespace {

constexpr std::array<std::string_view, kStoreOperationCount> kNames = {
    "create_project",
    "get_project",
    "get_project_by_slug",
    "list_projects",
    "create_api_key",
    "list_api_keys",
    "revoke_api_key",
    "create_flag",
    "update_flag",
    "delete_flag",
    "get_flag",
    "list_flags",
    "create_cohort",
    "update_cohort",
    "delete_cohort",
    "get_cohort",
    "list_cohorts",
    "update_person",
    "replace_person",
    "get_person",
    "delete_person",
    "list_persons",
    "list_audit",
    "healthy",
    "bootstrap",
    "create_environment",
    "list_environments",
    "list_all_environments",
    "apply_flags",
    "update_persons",
    "record_flag_evaluations",
    "list_flag_evaluations",
    "create_flag_schedule",
    "list_flag_schedules",
    "cancel_flag_schedule",
    "list_due_flag_schedules",
    "claim_flag_schedule",
    "finish_flag_schedule",
    "create_experiment",
    "update_experiment",
    "delete_experiment",
    "get_experiment",
    "list_experiments",
    "get_experiment_holdout",
    "set_experiment_holdout",
    "create_metric",
    "replace_metric",
    "delete_metric",
    "get_metric",
    "list_metrics",
    "update_groups",
    "list_group_types",
    "create_group_type",
    "get_group",
    "create_model_version",
    "get_model_version",
    "list_model_versions",
    "transition_model_version",
    "list_model_aliases",
    "move_model_alias",
    "list_model_alias_history",
    "create_route",
    "update_route",
    "delete_route",
    "get_route",
    "list_routes",
};

}  // namespace

std::string_view StoreOperationName(StoreOperation operation) {
  auto index = static_cast<std::size_t>(operation);
  return index < kNames.size() ? kNames[index] : "unknown";
}

InstrumentedStore::InstrumentedStore(std::unique_ptr<Store> inner, StoreObserver& observer, SteadyClock clock)
    : inner_(std::move(inner)), observer_(observer), clock_(std::move(clock)) {}

template <typename Call>
auto InstrumentedStore::Timed(StoreOperation operation, Call&& call) {
  auto started = clock_();
  auto result = std::forward<Call>(call)();
  observer_.OnStoreOperation(operation, clock_() - started);
  return result;
}

Result<BootstrapRecord> InstrumentedStore::Bootstrap(const BootstrapRequest& request, const Actor& actor) {
  return Timed(StoreOperation::kBootstrap, [&] { return inner_->Bootstrap(request, actor); });
}

Result<Project> InstrumentedStore::CreateProject(const std::string& slug, const std::string& name,
                                                 const Actor& actor) {
  return Timed(StoreOperation::kCreateProject, [&] { return inner_->CreateProject(slug, name, actor); });
}

Result<Project> InstrumentedStore::GetProject(std::int64_t id) {
  return Timed(StoreOperation::kGetProject, [&] { return inner_->GetProject(id); });
}

Result<Project> InstrumentedStore::GetProjectBySlug(const std::string& slug) {
  return Timed(StoreOperation::kGetProjectBySlug, [&] { return inner_->GetProjectBySlug(slug); });
}

Result<std::vector<Project>> InstrumentedStore::ListProjects() {
  return Timed(StoreOperation::kListProjects, [&] { return inner_->ListProjects(); });
}

Result<ApiKey> InstrumentedStore::CreateApiKey(const ApiKey& key, const Actor& actor) {
  return Timed(StoreOperation::kCreateApiKey, [&] { return inner_->CreateApiKey(key, actor); });
}

Result<std::vector<ApiKey>> InstrumentedStore::ListApiKeys() {
  return Timed(StoreOperation::kListApiKeys, [&] { return inner_->ListApiKeys(); });
}

Status InstrumentedStore::RevokeApiKey(std::int64_t key_id, const Actor& actor) {
  return Timed(StoreOperation::kRevokeApiKey, [&] { return inner_->RevokeApiKey(key_id, actor); });
}

Result<Environment> InstrumentedStore::CreateEnvironment(std::int64_t project_id, const std::string& key,
                                                         const std::string& name,
                                                         const std::optional<std::string>& copy_from,
                                                         const Actor& actor) {
  return Timed(StoreOperation::kCreateEnvironment,
               [&] { return inner_->CreateEnvironment(project_id, key, name, copy_from, actor); });
}

Result<std::vector<Environment>> InstrumentedStore::ListEnvironments(std::int64_t project_id) {
  return Timed(StoreOperation::kListEnvironments, [&] { return inner_->ListEnvironments(project_id); });
}

Result<std::vector<Environment>> InstrumentedStore::ListAllEnvironments() {
  return Timed(StoreOperation::kListAllEnvironments, [&] { return inner_->ListAllEnvironments(); });
}

Result<FlagRecord> InstrumentedStore::CreateFlag(std::int64_t project_id, const FlagRecord& record,
                                                 const Actor& actor) {
  return Timed(StoreOperation::kCreateFlag, [&] { return inner_->CreateFlag(project_id, record, actor); });
}

Result<FlagRecord> InstrumentedStore::UpdateFlag(std::int64_t project_id, const FlagRecord& record,
                                                 std::int64_t expected_version, const Actor& actor) {
  return Timed(StoreOperation::kUpdateFlag,
               [&] { return inner_->UpdateFlag(project_id, record, expected_version, actor); });
}

Status InstrumentedStore::DeleteFlag(std::int64_t project_id, const std::string& key,
                                     std::int64_t expected_version, const Actor& actor) {
  return Timed(StoreOperation::kDeleteFlag,
               [&] { return inner_->DeleteFlag(project_id, key, expected_version, actor); });
}

Result<FlagRecord> InstrumentedStore::GetFlag(std::int64_t project_id, const std::string& key) {
  return Timed(StoreOperation::kGetFlag, [&] { return inner_->GetFlag(project_id, key); });
}

Result<std::vector<FlagRecord>> InstrumentedStore::ApplyFlags(std::int64_t project_id,
                                                              const std::vector<FlagWrite>& writes,
                                                              const Actor& actor) {
  return Timed(StoreOperation::kApplyFlags, [&] { return inner_->ApplyFlags(project_id, writes, actor); });
}

Result<std::vector<FlagRecord>> InstrumentedStore::ListFlags(std::int64_t project_id,
                                                             const FlagQuery& query) {
  return Timed(StoreOperation::kListFlags, [&] { return inner_->ListFlags(project_id, query); });
}

Result<CohortRecord> InstrumentedStore::CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                                     const Actor& actor) {
  return Timed(StoreOperation::kCreateCohort,
               [&] { return inner_->CreateCohort(project_id, cohort, actor); });
}

Result<CohortRecord> InstrumentedStore::UpdateCohort(std::int64_t project_id, const Cohort& cohort,
                                                     std::int64_t expected_version, const Actor& actor) {
  return Timed(StoreOperation::kUpdateCohort,
               [&] { return inner_->UpdateCohort(project_id, cohort, expected_version, actor); });
}

Status InstrumentedStore::DeleteCohort(std::int64_t project_id, const std::string& id,
                                       std::int64_t expected_version, const Actor& actor) {
  return Timed(StoreOperation::kDeleteCohort,
               [&] { return inner_->DeleteCohort(project_id, id, expected_version, actor); });
}

Result<CohortRecord> InstrumentedStore::GetCohort(std::int64_t project_id, const std::string& id) {
  return Timed(StoreOperation::kGetCohort, [&] { return inner_->GetCohort(project_id, id); });
}

Result<std::vector<CohortRecord>> InstrumentedStore::ListCohorts(std::int64_t project_id) {
  return Timed(StoreOperation::kListCohorts, [&] { return inner_->ListCohorts(project_id); });
}

Result<Person> InstrumentedStore::UpdatePerson(std::int64_t project_id, const std::string& distinct_id,
                                               const nlohmann::json& set, const nlohmann::json& set_once,
                                               const nlohmann::json& unset) {
  return Timed(StoreOperation::kUpdatePerson,
               [&] { return inner_->UpdatePerson(project_id, distinct_id, set, set_once, unset); });
}

Result<Person> InstrumentedStore::ReplacePerson(std::int64_t project_id, const std::string& distinct_id,
                                                const nlohmann::json& properties) {
  return Timed(StoreOperation::kReplacePerson,
               [&] { return inner_->ReplacePerson(project_id, distinct_id, properties); });
}

Result<Person> InstrumentedStore::GetPerson(std::int64_t project_id, const std::string& distinct_id) {
  return Timed(StoreOperation::kGetPerson, [&] { return inner_->GetPerson(project_id, distinct_id); });
}

Status InstrumentedStore::DeletePerson(std::int64_t project_id, const std::string& distinct_id) {
  return Timed(StoreOperation::kDeletePerson, [&] { return inner_->DeletePerson(project_id, distinct_id); });
}

Status InstrumentedStore::UpdatePersons(const std::vector<PersonUpdate>& updates) {
  return Timed(StoreOperation::kUpdatePersons, [&] { return inner_->UpdatePersons(updates); });
}

Result<std::vector<Person>> InstrumentedStore::ListPersons(std::int64_t project_id,
                                                           const PersonQuery& query) {
  return Timed(StoreOperation::kListPersons, [&] { return inner_->ListPersons(project_id, query); });
}

Result<std::vector<AuditEntry>> InstrumentedStore::ListAudit(const AuditQuery& query) {
  return Timed(StoreOperation::kListAudit, [&] { return inner_->ListAudit(query); });
}

bool InstrumentedStore::Healthy() {
  return Timed(StoreOperation::kHealthy, [&] { return inner_->Healthy(); });
}

Status InstrumentedStore::RecordFlagEvaluations(const std::vector<FlagEvaluationStats>& deltas) {
  return Timed(StoreOperation::kRecordFlagEvaluations, [&] { return inner_->RecordFlagEvaluations(deltas); });
}

Result<std::vector<FlagEvaluationStats>> InstrumentedStore::ListFlagEvaluations(std::int64_t environment_id) {
  return Timed(StoreOperation::kListFlagEvaluations,
               [&] { return inner_->ListFlagEvaluations(environment_id); });
}

Result<FlagSchedule> InstrumentedStore::CreateFlagSchedule(std::int64_t project_id,
                                                           const FlagSchedule& schedule, const Actor& actor) {
  return Timed(StoreOperation::kCreateFlagSchedule,
               [&] { return inner_->CreateFlagSchedule(project_id, schedule, actor); });
}

Result<std::vector<FlagSchedule>> InstrumentedStore::ListFlagSchedules(std::int64_t project_id,
                                                                       const std::string& flag_key) {
  return Timed(StoreOperation::kListFlagSchedules,
               [&] { return inner_->ListFlagSchedules(project_id, flag_key); });
}

Result<FlagSchedule> InstrumentedStore::CancelFlagSchedule(std::int64_t project_id,
                                                           const std::string& flag_key, std::int64_t id,
                                                           const Actor& actor) {
  return Timed(StoreOperation::kCancelFlagSchedule,
               [&] { return inner_->CancelFlagSchedule(project_id, flag_key, id, actor); });
}

Result<std::vector<FlagSchedule>> InstrumentedStore::ListDueFlagSchedules(
    const std::string& now, const std::string& abandoned_before) {
  return Timed(StoreOperation::kListDueFlagSchedules,
               [&] { return inner_->ListDueFlagSchedules(now, abandoned_before); });
}

Result<bool> InstrumentedStore::ClaimFlagSchedule(std::int64_t id, const std::string& now,
                                                  const std::string& abandoned_before) {
  return Timed(StoreOperation::kClaimFlagSchedule,
               [&] { return inner_->ClaimFlagSchedule(id, now, abandoned_before); });
}

Status InstrumentedStore::FinishFlagSchedule(std::int64_t id, const std::string& status,
                                             const std::string& result) {
  return Timed(StoreOperation::kFinishFlagSchedule,
               [&] { return inner_->FinishFlagSchedule(id, status, result); });
}

Result<ExperimentRecord> InstrumentedStore::CreateExperiment(std::int64_t project_id,
                                                             const experiments::Experiment& experiment,
                                                             const Actor& actor) {
  return Timed(StoreOperation::kCreateExperiment,
               [&] { return inner_->CreateExperiment(project_id, experiment, actor); });
}

Result<ExperimentRecord> InstrumentedStore::UpdateExperiment(std::int64_t project_id,
                                                             const experiments::Experiment& experiment,
                                                             std::int64_t expected_version,
                                                             const Actor& actor) {
  return Timed(StoreOperation::kUpdateExperiment,
               [&] { return inner_->UpdateExperiment(project_id, experiment, expected_version, actor); });
}

Status InstrumentedStore::DeleteExperiment(std::int64_t project_id, const std::string& key,
                                           std::int64_t expected_version, const Actor& actor) {
  return Timed(StoreOperation::kDeleteExperiment,
               [&] { return inner_->DeleteExperiment(project_id, key, expected_version, actor); });
}

Result<ExperimentRecord> InstrumentedStore::GetExperiment(std::int64_t project_id, const std::string& key) {
  return Timed(StoreOperation::kGetExperiment, [&] { return inner_->GetExperiment(project_id, key); });
}

Result<std::vector<ExperimentRecord>> InstrumentedStore::ListExperiments(std::int64_t project_id) {
  return Timed(StoreOperation::kListExperiments, [&] { return inner_->ListExperiments(project_id); });
}

Result<double> InstrumentedStore::GetExperimentHoldout(std::int64_t project_id) {
  return Timed(StoreOperation::kGetExperimentHoldout,
               [&] { return inner_->GetExperimentHoldout(project_id); });
}

Status InstrumentedStore::SetExperimentHoldout(std::int64_t project_id, double percent, const Actor& actor) {
  return Timed(StoreOperation::kSetExperimentHoldout,
               [&] { return inner_->SetExperimentHoldout(project_id, percent, actor); });
}

Result<experiments::MetricDefinition> InstrumentedStore::CreateMetric(
    std::int64_t project_id, const experiments::MetricDefinition& metric, const Actor& actor) {
  return Timed(StoreOperation::kCreateMetric,
               [&] { return inner_->CreateMetric(project_id, metric, actor); });
}

Result<experiments::MetricDefinition> InstrumentedStore::ReplaceMetric(
    std::int64_t project_id, const experiments::MetricDefinition& metric, const Actor& actor) {
  return Timed(StoreOperation::kReplaceMetric,
               [&] { return inner_->ReplaceMetric(project_id, metric, actor); });
}

Status InstrumentedStore::DeleteMetric(std::int64_t project_id, const std::string& key, const Actor& actor) {
  return Timed(StoreOperation::kDeleteMetric, [&] { return inner_->DeleteMetric(project_id, key, actor); });
}

Result<experiments::MetricDefinition> InstrumentedStore::GetMetric(std::int64_t project_id,
                                                                   const std::string& key) {
  return Timed(StoreOperation::kGetMetric, [&] { return inner_->GetMetric(project_id, key); });
}

Result<std::vector<experiments::MetricDefinition>> InstrumentedStore::ListMetrics(std::int64_t project_id) {
  return Timed(StoreOperation::kListMetrics, [&] { return inner_->ListMetrics(project_id); });
}

Status InstrumentedStore::UpdateGroups(const std::vector<GroupUpdate>& updates) {
  return Timed(StoreOperation::kUpdateGroups, [&] { return inner_->UpdateGroups(updates); });
}

Result<std::vector<GroupType>> InstrumentedStore::ListGroupTypes(std::int64_t project_id) {
  return Timed(StoreOperation::kListGroupTypes, [&] { return inner_->ListGroupTypes(project_id); });
}

Result<GroupType> InstrumentedStore::CreateGroupType(std::int64_t project_id, const std::string& name,
                                                     const Actor& actor) {
  return Timed(StoreOperation::kCreateGroupType,
               [&] { return inner_->CreateGroupType(project_id, name, actor); });
}

Result<Group> InstrumentedStore::GetGroup(std::int64_t project_id, const std::string& group_type,
                                          const std::string& group_key) {
  return Timed(StoreOperation::kGetGroup,
               [&] { return inner_->GetGroup(project_id, group_type, group_key); });
}

Result<registry::ModelVersion> InstrumentedStore::CreateModelVersion(std::int64_t project_id,
                                                                     const registry::ModelVersion& model,
                                                                     const Actor& actor) {
  return Timed(StoreOperation::kCreateModelVersion,
               [&] { return inner_->CreateModelVersion(project_id, model, actor); });
}

Result<registry::ModelVersion> InstrumentedStore::GetModelVersion(std::int64_t project_id,
                                                                  const std::string& name,
                                                                  const std::string& version) {
  return Timed(StoreOperation::kGetModelVersion,
               [&] { return inner_->GetModelVersion(project_id, name, version); });
}

Result<std::vector<registry::ModelVersion>> InstrumentedStore::ListModelVersions(std::int64_t project_id) {
  return Timed(StoreOperation::kListModelVersions, [&] { return inner_->ListModelVersions(project_id); });
}

Result<registry::ModelVersion> InstrumentedStore::TransitionModelVersion(
    std::int64_t project_id, const std::string& name, const std::string& version, registry::ModelState to,
    const std::string& reason, const Actor& actor) {
  return Timed(StoreOperation::kTransitionModelVersion,
               [&] { return inner_->TransitionModelVersion(project_id, name, version, to, reason, actor); });
}

Result<std::vector<registry::ModelAlias>> InstrumentedStore::ListModelAliases(std::int64_t project_id) {
  return Timed(StoreOperation::kListModelAliases, [&] { return inner_->ListModelAliases(project_id); });
}

Result<registry::AliasMove> InstrumentedStore::MoveModelAlias(std::int64_t project_id,
                                                              const std::string& name,
                                                              const std::string& alias,
                                                              const std::optional<std::string>& version,
                                                              const std::string& reason, const Actor& actor) {
  return Timed(StoreOperation::kMoveModelAlias,
               [&] { return inner_->MoveModelAlias(project_id, name, alias, version, reason, actor); });
}

Result<std::vector<registry::AliasMove>> InstrumentedStore::ListModelAliasHistory(std::int64_t project_id,
                                                                                  const std::string& name,
                                                                                  const std::string& alias) {
  return Timed(StoreOperation::kListModelAliasHistory,
               [&] { return inner_->ListModelAliasHistory(project_id, name, alias); });
}

Result<registry::RouteDefinition> InstrumentedStore::CreateRoute(std::int64_t project_id,
                                                                 const registry::RouteDefinition& route,
                                                                 const Actor& actor) {
  return Timed(StoreOperation::kCreateRoute, [&] { return inner_->CreateRoute(project_id, route, actor); });
}

Result<registry::RouteDefinition> InstrumentedStore::UpdateRoute(std::int64_t project_id,
                                                                 const registry::RouteDefinition& route,
                                                                 std::int64_t expected_version,
                                                                 const Actor& actor) {
  return Timed(StoreOperation::kUpdateRoute,
               [&] { return inner_->UpdateRoute(project_id, route, expected_version, actor); });
}

Status InstrumentedStore::DeleteRoute(std::int64_t project_id, const std::string& key,
                                      std::int64_t expected_version, const Actor& actor) {
  return Timed(StoreOperation::kDeleteRoute,
               [&] { return inner_->DeleteRoute(project_id, key, expected_version, actor); });
}

Result<registry::RouteDefinition> InstrumentedStore::GetRoute(std::int64_t project_id,
                                                              const std::string& key) {
  return Timed(StoreOperation::kGetRoute, [&] { return inner_->GetRoute(project_id, key); });
}

Result<std::vector<registry::RouteDefinition>> InstrumentedStore::ListRoutes(std::int64_t project_id) {
  return Timed(StoreOperation::kListRoutes, [&] { return inner_->ListRoutes(project_id); });
}

}  // namespace switchyard::store
