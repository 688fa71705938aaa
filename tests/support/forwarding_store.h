// ForwardingStore: a Store that passes every call to another one. Tests derive from it and
// override the one or two calls they need to delay or fail, to reach interleavings and failures
// that a real backend produces only by chance.
#pragma once

#include "store/store.h"

namespace switchyard::test_doubles {

class ForwardingStore : public store::Store {
 public:
  explicit ForwardingStore(store::Store& inner) : inner_(inner) {}

  Result<store::Project> CreateProject(const std::string& slug, const std::string& name,
                                       const store::Actor& actor) override {
    return inner_.CreateProject(slug, name, actor);
  }
  Result<store::Project> GetProject(std::int64_t id) override { return inner_.GetProject(id); }
  Result<store::Project> GetProjectBySlug(const std::string& slug) override {
    return inner_.GetProjectBySlug(slug);
  }
  Result<std::vector<store::Project>> ListProjects() override { return inner_.ListProjects(); }

  Result<store::Environment> CreateEnvironment(std::int64_t project_id, const std::string& key,
                                               const std::string& name,
                                               const std::optional<std::string>& copy_from,
                                               const store::Actor& actor) override {
    return inner_.CreateEnvironment(project_id, key, name, copy_from, actor);
  }
  Result<std::vector<store::Environment>> ListEnvironments(std::int64_t project_id) override {
    return inner_.ListEnvironments(project_id);
  }
  Result<std::vector<store::Environment>> ListAllEnvironments() override {
    return inner_.ListAllEnvironments();
  }

  Result<store::ApiKey> CreateApiKey(const store::ApiKey& key, const store::Actor& actor) override {
    return inner_.CreateApiKey(key, actor);
  }
  Result<std::vector<store::ApiKey>> ListApiKeys() override { return inner_.ListApiKeys(); }
  Status RevokeApiKey(std::int64_t key_id, const store::Actor& actor) override {
    return inner_.RevokeApiKey(key_id, actor);
  }
  Result<store::BootstrapRecord> Bootstrap(const store::BootstrapRequest& request,
                                           const store::Actor& actor) override {
    return inner_.Bootstrap(request, actor);
  }

  Result<store::FlagRecord> CreateFlag(std::int64_t project_id, const store::FlagRecord& record,
                                       const store::Actor& actor) override {
    return inner_.CreateFlag(project_id, record, actor);
  }
  Result<store::FlagRecord> UpdateFlag(std::int64_t project_id, const store::FlagRecord& record,
                                       std::int64_t expected_version, const store::Actor& actor) override {
    return inner_.UpdateFlag(project_id, record, expected_version, actor);
  }
  Status DeleteFlag(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                    const store::Actor& actor) override {
    return inner_.DeleteFlag(project_id, key, expected_version, actor);
  }
  Result<std::vector<store::FlagRecord>> ApplyFlags(std::int64_t project_id,
                                                    const std::vector<store::FlagWrite>& writes,
                                                    const store::Actor& actor) override {
    return inner_.ApplyFlags(project_id, writes, actor);
  }
  Result<store::FlagRecord> GetFlag(std::int64_t project_id, const std::string& key) override {
    return inner_.GetFlag(project_id, key);
  }
  Result<std::vector<store::FlagRecord>> ListFlags(std::int64_t project_id,
                                                   const store::FlagQuery& query) override {
    return inner_.ListFlags(project_id, query);
  }

  Result<store::CohortRecord> CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                           const store::Actor& actor) override {
    return inner_.CreateCohort(project_id, cohort, actor);
  }
  Result<store::CohortRecord> UpdateCohort(std::int64_t project_id, const Cohort& cohort,
                                           std::int64_t expected_version,
                                           const store::Actor& actor) override {
    return inner_.UpdateCohort(project_id, cohort, expected_version, actor);
  }
  Status DeleteCohort(std::int64_t project_id, const std::string& id, std::int64_t expected_version,
                      const store::Actor& actor) override {
    return inner_.DeleteCohort(project_id, id, expected_version, actor);
  }
  Result<store::CohortRecord> GetCohort(std::int64_t project_id, const std::string& id) override {
    return inner_.GetCohort(project_id, id);
  }
  Result<std::vector<store::CohortRecord>> ListCohorts(std::int64_t project_id) override {
    return inner_.ListCohorts(project_id);
  }

  Result<store::Person> UpdatePerson(std::int64_t project_id, const std::string& distinct_id,
                                     const nlohmann::json& set, const nlohmann::json& set_once,
                                     const nlohmann::json& unset) override {
    return inner_.UpdatePerson(project_id, distinct_id, set, set_once, unset);
  }
  Result<store::Person> ReplacePerson(std::int64_t project_id, const std::string& distinct_id,
                                      const nlohmann::json& properties) override {
    return inner_.ReplacePerson(project_id, distinct_id, properties);
  }
  Result<store::Person> GetPerson(std::int64_t project_id, const std::string& distinct_id) override {
    return inner_.GetPerson(project_id, distinct_id);
  }
  Status DeletePerson(std::int64_t project_id, const std::string& distinct_id) override {
    return inner_.DeletePerson(project_id, distinct_id);
  }
  Result<std::vector<store::Person>> ListPersons(std::int64_t project_id,
                                                 const store::PersonQuery& query) override {
    return inner_.ListPersons(project_id, query);
  }
  Status UpdatePersons(const std::vector<store::PersonUpdate>& updates) override {
    return inner_.UpdatePersons(updates);
  }
  Status UpdateGroups(const std::vector<store::GroupUpdate>& updates) override {
    return inner_.UpdateGroups(updates);
  }
  Result<std::vector<store::GroupType>> ListGroupTypes(std::int64_t project_id) override {
    return inner_.ListGroupTypes(project_id);
  }
  Result<store::GroupType> CreateGroupType(std::int64_t project_id, const std::string& name,
                                           const store::Actor& actor) override {
    return inner_.CreateGroupType(project_id, name, actor);
  }
  Result<store::Group> GetGroup(std::int64_t project_id, const std::string& group_type,
                                const std::string& group_key) override {
    return inner_.GetGroup(project_id, group_type, group_key);
  }

  Result<std::vector<store::AuditEntry>> ListAudit(const store::AuditQuery& query) override {
    return inner_.ListAudit(query);
  }
  Status RecordFlagEvaluations(const std::vector<store::FlagEvaluationStats>& deltas) override {
    return inner_.RecordFlagEvaluations(deltas);
  }
  Result<std::vector<store::FlagEvaluationStats>> ListFlagEvaluations(std::int64_t environment_id) override {
    return inner_.ListFlagEvaluations(environment_id);
  }
  Result<store::FlagSchedule> CreateFlagSchedule(std::int64_t project_id, const store::FlagSchedule& schedule,
                                                 const store::Actor& actor) override {
    return inner_.CreateFlagSchedule(project_id, schedule, actor);
  }
  Result<std::vector<store::FlagSchedule>> ListFlagSchedules(std::int64_t project_id,
                                                             const std::string& flag_key) override {
    return inner_.ListFlagSchedules(project_id, flag_key);
  }
  Result<store::FlagSchedule> CancelFlagSchedule(std::int64_t project_id, const std::string& flag_key,
                                                 std::int64_t id, const store::Actor& actor) override {
    return inner_.CancelFlagSchedule(project_id, flag_key, id, actor);
  }
  Result<std::vector<store::FlagSchedule>> ListDueFlagSchedules(
      const std::string& now, const std::string& abandoned_before) override {
    return inner_.ListDueFlagSchedules(now, abandoned_before);
  }
  Result<bool> ClaimFlagSchedule(std::int64_t id, const std::string& now,
                                 const std::string& abandoned_before) override {
    return inner_.ClaimFlagSchedule(id, now, abandoned_before);
  }
  Status FinishFlagSchedule(std::int64_t id, const std::string& status, const std::string& result) override {
    return inner_.FinishFlagSchedule(id, status, result);
  }
  Result<store::ExperimentRecord> CreateExperiment(std::int64_t project_id,
                                                   const experiments::Experiment& experiment,
                                                   const store::Actor& actor) override {
    return inner_.CreateExperiment(project_id, experiment, actor);
  }
  Result<store::ExperimentRecord> UpdateExperiment(std::int64_t project_id,
                                                   const experiments::Experiment& experiment,
                                                   std::int64_t expected_version,
                                                   const store::Actor& actor) override {
    return inner_.UpdateExperiment(project_id, experiment, expected_version, actor);
  }
  Status DeleteExperiment(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                          const store::Actor& actor) override {
    return inner_.DeleteExperiment(project_id, key, expected_version, actor);
  }
  Result<store::ExperimentRecord> GetExperiment(std::int64_t project_id, const std::string& key) override {
    return inner_.GetExperiment(project_id, key);
  }
  Result<std::vector<store::ExperimentRecord>> ListExperiments(std::int64_t project_id) override {
    return inner_.ListExperiments(project_id);
  }
  Result<double> GetExperimentHoldout(std::int64_t project_id) override {
    return inner_.GetExperimentHoldout(project_id);
  }
  Status SetExperimentHoldout(std::int64_t project_id, double percent, const store::Actor& actor) override {
    return inner_.SetExperimentHoldout(project_id, percent, actor);
  }

  bool Healthy() override { return inner_.Healthy(); }
  Result<experiments::MetricDefinition> CreateMetric(std::int64_t project_id,
                                                     const experiments::MetricDefinition& metric,
                                                     const store::Actor& actor) override {
    return inner_.CreateMetric(project_id, metric, actor);
  }
  Result<experiments::MetricDefinition> ReplaceMetric(std::int64_t project_id,
                                                      const experiments::MetricDefinition& metric,
                                                      const store::Actor& actor) override {
    return inner_.ReplaceMetric(project_id, metric, actor);
  }
  Status DeleteMetric(std::int64_t project_id, const std::string& key, const store::Actor& actor) override {
    return inner_.DeleteMetric(project_id, key, actor);
  }
  Result<experiments::MetricDefinition> GetMetric(std::int64_t project_id, const std::string& key) override {
    return inner_.GetMetric(project_id, key);
  }
  Result<std::vector<experiments::MetricDefinition>> ListMetrics(std::int64_t project_id) override {
    return inner_.ListMetrics(project_id);
  }

  Result<registry::ModelVersion> CreateModelVersion(std::int64_t project_id,
                                                    const registry::ModelVersion& model,
                                                    const store::Actor& actor) override {
    return inner_.CreateModelVersion(project_id, model, actor);
  }
  Result<registry::ModelVersion> GetModelVersion(std::int64_t project_id, const std::string& name,
                                                 const std::string& version) override {
    return inner_.GetModelVersion(project_id, name, version);
  }
  Result<std::vector<registry::ModelVersion>> ListModelVersions(std::int64_t project_id) override {
    return inner_.ListModelVersions(project_id);
  }
  Result<registry::ModelVersion> TransitionModelVersion(std::int64_t project_id, const std::string& name,
                                                        const std::string& version, registry::ModelState to,
                                                        const std::string& reason,
                                                        const store::Actor& actor) override {
    return inner_.TransitionModelVersion(project_id, name, version, to, reason, actor);
  }
  Result<std::vector<registry::ModelAlias>> ListModelAliases(std::int64_t project_id) override {
    return inner_.ListModelAliases(project_id);
  }
  Result<registry::AliasMove> MoveModelAlias(std::int64_t project_id, const std::string& name,
                                             const std::string& alias,
                                             const std::optional<std::string>& version,
                                             const std::string& reason, const store::Actor& actor) override {
    return inner_.MoveModelAlias(project_id, name, alias, version, reason, actor);
  }
  Result<std::vector<registry::AliasMove>> ListModelAliasHistory(std::int64_t project_id,
                                                                 const std::string& name,
                                                                 const std::string& alias) override {
    return inner_.ListModelAliasHistory(project_id, name, alias);
  }
  Result<registry::RouteDefinition> CreateRoute(std::int64_t project_id,
                                                const registry::RouteDefinition& route,
                                                const store::Actor& actor) override {
    return inner_.CreateRoute(project_id, route, actor);
  }
  Result<registry::RouteDefinition> UpdateRoute(std::int64_t project_id,
                                                const registry::RouteDefinition& route,
                                                std::int64_t expected_version,
                                                const store::Actor& actor) override {
    return inner_.UpdateRoute(project_id, route, expected_version, actor);
  }
  Status DeleteRoute(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                     const store::Actor& actor) override {
    return inner_.DeleteRoute(project_id, key, expected_version, actor);
  }
  Result<registry::RouteDefinition> GetRoute(std::int64_t project_id, const std::string& key) override {
    return inner_.GetRoute(project_id, key);
  }
  Result<std::vector<registry::RouteDefinition>> ListRoutes(std::int64_t project_id) override {
    return inner_.ListRoutes(project_id);
  }

 private:
  store::Store& inner_;
};

}  // namespace switchyard::test_doubles
