#include "store/memory_store.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "store/entity_json.h"
#include "store/person_properties.h"
#include "store/store_validation.h"
#include "store/timestamp.h"

namespace switchyard::store {
namespace {

using nlohmann::json;

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The same semantics as the SQLite query: exact tag membership, and an ASCII case-insensitive
// substring of key, name or description (SQLite's lower() folds ASCII only).
bool FlagMatches(const FlagRecord& record, const FlagQuery& query, const std::string& lowered_text) {
  const Flag& flag = record.flag;
  if (query.active && record.In(query.environment).active != *query.active) return false;
  if (query.archived && record.archived != *query.archived) return false;
  if (query.tag && std::find(flag.tags.begin(), flag.tags.end(), *query.tag) == flag.tags.end()) return false;
  if (!query.text) return true;
  for (const std::string* field : {&flag.key, &flag.name, &flag.description}) {
    if (AsciiLower(*field).find(lowered_text) != std::string::npos) return true;
  }
  return false;
}

// The mapped value for `key`, or nullptr.
template <typename Map>
auto* FindIn(Map& map, const typename Map::key_type& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

std::unique_ptr<Store> NewMemoryStore() {
  return std::make_unique<MemoryStore>();
}

MemoryStore::ProjectState* MemoryStore::FindProject(std::int64_t project_id) {
  auto it = projects_.find(project_id);
  return it == projects_.end() ? nullptr : &it->second;
}

void MemoryStore::AppendAudit(std::optional<std::int64_t> project_id, const Actor& actor, std::string action,
                              std::string entity_type, std::string entity_key, json before, json after) {
  AuditEntry entry;
  entry.id = static_cast<std::int64_t>(audit_.size()) + 1;
  entry.project_id = project_id;
  entry.at = NowTimestamp();
  entry.actor = actor.name;
  entry.action = std::move(action);
  entry.entity_type = std::move(entity_type);
  entry.entity_key = std::move(entity_key);
  if (!actor.environment.empty()) entry.environment = actor.environment;
  entry.before = std::move(before);
  entry.after = std::move(after);
  audit_.push_back(std::move(entry));
}

// --- Projects --------------------------------------------------------------------------------

Result<Project> MemoryStore::CreateProject(const std::string& slug, const std::string& name,
                                           const Actor& actor) {
  WriterLock lock(mu_);
  return CreateProjectLocked(slug, name, actor);
}

Result<Project> MemoryStore::CreateProjectLocked(const std::string& slug, const std::string& name,
                                                 const Actor& actor) {
  if (Status s = ValidateSlug(slug); !s.ok()) return s;
  if (project_ids_by_slug_.contains(slug)) {
    return Status::AlreadyExists("project slug '" + slug + "' is taken", "slug");
  }
  Project project{next_project_id_++, slug, name, NowTimestamp()};
  ProjectState& state = projects_[project.id];
  state.project = project;
  project_ids_by_slug_[slug] = project.id;
  AppendAudit(project.id, actor, "project.create", "project", slug, nullptr, ProjectAuditJson(project));
  for (const std::string& key : DefaultEnvironmentKeys()) {
    std::string environment_name = key;
    environment_name[0] = static_cast<char>(environment_name[0] - 'a' + 'A');
    if (auto environment = CreateEnvironmentLocked(state, key, environment_name, actor, /*audited=*/false);
        !environment.ok()) {
      return environment.status();
    }
  }
  return project;
}

// --- Environments ----------------------------------------------------------------------------

std::vector<std::string> MemoryStore::EnvironmentKeys(const ProjectState& state) {
  std::vector<std::string> keys;
  for (const Environment& environment : state.environments) keys.push_back(environment.key);
  return keys;
}

Result<Environment> MemoryStore::CreateEnvironmentLocked(ProjectState& state, const std::string& key,
                                                         const std::string& name, const Actor& actor,
                                                         bool audited) {
  if (Status s = ValidateEnvironmentKey(key); !s.ok()) return s;
  for (const Environment& existing : state.environments) {
    if (existing.key == key) return Status::AlreadyExists("environment '" + key + "' exists", "key");
  }
  Environment environment{next_environment_id_++, state.project.id, key, name, NowTimestamp()};
  state.environments.push_back(environment);
  if (audited)
    AppendAudit(state.project.id, actor, "environment.create", "environment", key, nullptr,
                EnvironmentAuditJson(environment));
  return environment;
}

Result<Environment> MemoryStore::CreateEnvironment(std::int64_t project_id, const std::string& key,
                                                   const std::string& name,
                                                   const std::optional<std::string>& copy_from,
                                                   const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  if (copy_from) {
    std::vector<std::string> keys = EnvironmentKeys(*state);
    if (std::find(keys.begin(), keys.end(), *copy_from) == keys.end()) {
      return Status::NotFound("no environment '" + *copy_from + "' to copy from", "copy_from");
    }
  }
  Result<Environment> environment = CreateEnvironmentLocked(*state, key, name, actor, /*audited=*/true);
  if (!environment.ok() || !copy_from) return environment;
  for (auto& [flag_key, record] : state->flags) {
    if (auto it = record.environments.find(*copy_from); it != record.environments.end()) {
      record.environments[key] = it->second;
    }
  }
  return environment;
}

Result<std::vector<Environment>> MemoryStore::ListEnvironments(std::int64_t project_id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return std::vector<Environment>{};
  return state->environments;
}

Result<std::vector<Environment>> MemoryStore::ListAllEnvironments() {
  ReaderLock lock(mu_);
  std::vector<Environment> out;
  for (const auto& [id, state] : projects_) {
    out.insert(out.end(), state.environments.begin(), state.environments.end());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Result<Project> MemoryStore::GetProject(std::int64_t id) {
  ReaderLock lock(mu_);
  const ProjectState* state = FindProject(id);
  if (state == nullptr) return Status::NotFound("no project with id " + std::to_string(id), "id");
  return state->project;
}

Result<Project> MemoryStore::GetProjectBySlug(const std::string& slug) {
  ReaderLock lock(mu_);
  auto it = project_ids_by_slug_.find(slug);
  if (it == project_ids_by_slug_.end()) return Status::NotFound("no project '" + slug + "'", "slug");
  return projects_.at(it->second).project;
}

Result<std::vector<Project>> MemoryStore::ListProjects() {
  ReaderLock lock(mu_);
  std::vector<Project> out;
  for (const auto& [id, state] : projects_) out.push_back(state.project);
  return out;
}

// --- API keys --------------------------------------------------------------------------------

Result<ApiKey> MemoryStore::CreateApiKey(const ApiKey& key, const Actor& actor) {
  WriterLock lock(mu_);
  return CreateApiKeyLocked(key, actor);
}

Result<ApiKey> MemoryStore::CreateApiKeyLocked(const ApiKey& key, const Actor& actor) {
  if (Status s = ValidateNewApiKey(key); !s.ok()) return s;
  ProjectState* owner = key.project_id ? FindProject(*key.project_id) : nullptr;
  if (key.project_id && owner == nullptr) return ProjectNotFound(*key.project_id);
  if (key.environment_id) {
    const bool owned =
        owner != nullptr && std::any_of(owner->environments.begin(), owner->environments.end(),
                                        [&](const Environment& e) { return e.id == *key.environment_id; });
    if (!owned)
      return Status::InvalidArgument("the environment is not one of the key's project", "environment_id");
  }
  const bool prefix_taken = std::any_of(api_keys_.begin(), api_keys_.end(),
                                        [&](const auto& entry) { return entry.second.prefix == key.prefix; });
  if (prefix_taken) return Status::AlreadyExists("API key prefix '" + key.prefix + "' is taken", "prefix");
  ApiKey stored = key;
  if (owner != nullptr && !stored.environment_id) {
    for (const Environment& environment : owner->environments) {
      if (environment.key == kPrimaryEnvironment) stored.environment_id = environment.id;
    }
  }
  stored.id = next_api_key_id_++;
  stored.created_at = NowTimestamp();
  stored.revoked = false;
  api_keys_[stored.id] = stored;
  AppendAudit(stored.project_id, actor, "api_key.create", "api_key", stored.prefix, nullptr,
              ApiKeyAuditJson(stored));
  return stored;
}

Result<std::vector<ApiKey>> MemoryStore::ListApiKeys() {
  ReaderLock lock(mu_);
  std::vector<ApiKey> out;
  for (const auto& [id, key] : api_keys_) out.push_back(key);
  return out;
}

Status MemoryStore::RevokeApiKey(std::int64_t key_id, const Actor& actor) {
  WriterLock lock(mu_);
  auto it = api_keys_.find(key_id);
  if (it == api_keys_.end()) return Status::NotFound("no API key with id " + std::to_string(key_id), "id");
  ApiKey& key = it->second;
  if (key.revoked) return Status::Ok();  // idempotent: nothing changed, nothing to audit
  json before = ApiKeyAuditJson(key);
  key.revoked = true;
  AppendAudit(key.project_id, actor, "api_key.revoke", "api_key", key.prefix, std::move(before),
              ApiKeyAuditJson(key));
  return Status::Ok();
}

Result<BootstrapRecord> MemoryStore::Bootstrap(const BootstrapRequest& request, const Actor& actor) {
  WriterLock lock(mu_);
  if (!projects_.empty() || !api_keys_.empty()) {
    return Status::Conflict("the store is not empty: it was bootstrapped before");
  }
  Result<BootstrapRecord> result = BootstrapLocked(request, actor);
  if (!result.ok()) {
    // The store was empty when the lock was taken and nobody else has seen it since, so rolling
    // back is returning to the empty state, ids included.
    projects_.clear();
    project_ids_by_slug_.clear();
    api_keys_.clear();
    audit_.clear();
    next_project_id_ = 1;
    next_api_key_id_ = 1;
    next_environment_id_ = 1;
  }
  return result;
}

Result<BootstrapRecord> MemoryStore::BootstrapLocked(const BootstrapRequest& request, const Actor& actor) {
  if (request.admin_key.scope != KeyScope::kAdmin) {
    return Status::InvalidArgument("the bootstrap admin key must have the admin scope", "scope");
  }
  BootstrapRecord record;
  auto admin = CreateApiKeyLocked(request.admin_key, actor);
  if (!admin.ok()) return admin.status();
  record.admin_key = *admin;
  auto project = CreateProjectLocked(request.project_slug, request.project_name, actor);
  if (!project.ok()) return project.status();
  record.project = *project;
  ApiKey project_key = request.project_key;
  project_key.project_id = project->id;
  project_key.environment_id.reset();
  auto created = CreateApiKeyLocked(project_key, actor);
  if (!created.ok()) return created.status();
  record.project_key = *created;
  return record;
}

// --- Flags -----------------------------------------------------------------------------------

Result<FlagRecord> MemoryStore::CreateFlagLocked(ProjectState& state, const FlagRecord& input,
                                                 const Actor& actor) {
  const Flag& flag = input.flag;
  Result<FlagRecord> canonical = CanonicalFlagRecord(input, 1, EnvironmentKeys(state));
  if (!canonical.ok()) return canonical.status();
  if (state.flags.contains(flag.key)) return Status::AlreadyExists("flag '" + flag.key + "' exists", "key");
  FlagRecord record = std::move(*canonical);
  record.project_id = state.project.id;
  record.created_at = record.updated_at = NowTimestamp();
  record.updated_by = actor.name;
  state.flags[flag.key] = record;
  AppendAudit(state.project.id, actor, "flag.create", "flag", flag.key, nullptr, FlagAuditJson(record));
  return record;
}

Result<FlagRecord> MemoryStore::UpdateFlagLocked(ProjectState& state, const FlagRecord& input,
                                                 std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  const Flag& flag = input.flag;
  FlagRecord* record = FindIn(state.flags, flag.key);
  if (record == nullptr) return FlagNotFound(flag.key);
  if (record->flag.version != expected_version) {
    return VersionConflict("flag", flag.key, record->flag.version, expected_version);
  }
  Result<FlagRecord> canonical = CanonicalFlagRecord(input, expected_version + 1, EnvironmentKeys(state));
  if (!canonical.ok()) return canonical.status();
  json before = FlagAuditJson(*record);
  const bool was_archived = record->archived;
  record->flag = std::move(canonical->flag);
  record->environments = std::move(canonical->environments);
  record->archived = canonical->archived;
  record->archived_at = canonical->archived ? canonical->archived_at : "";
  record->updated_at = NowTimestamp();
  record->updated_by = actor.name;
  AppendAudit(state.project.id, actor, FlagUpdateAction(was_archived, record->archived), "flag", flag.key,
              std::move(before), FlagAuditJson(*record));
  return *record;
}

Result<FlagRecord> MemoryStore::DeleteFlagLocked(ProjectState& state, const std::string& key,
                                                 std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  const FlagRecord* record = FindIn(state.flags, key);
  if (record == nullptr) return FlagNotFound(key);
  const std::int64_t current = record->flag.version;
  if (current != expected_version) return VersionConflict("flag", key, current, expected_version);
  FlagRecord deleted = *record;
  AppendAudit(state.project.id, actor, "flag.delete", "flag", key, FlagAuditJson(*record), nullptr);
  state.flags.erase(key);
  for (const Environment& environment : state.environments) evaluations_.erase({environment.id, key});
  return deleted;
}

Result<FlagRecord> MemoryStore::CreateFlag(std::int64_t project_id, const FlagRecord& input,
                                           const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  return CreateFlagLocked(*state, input, actor);
}

Result<FlagRecord> MemoryStore::UpdateFlag(std::int64_t project_id, const FlagRecord& input,
                                           std::int64_t expected_version, const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return FlagNotFound(input.flag.key);
  return UpdateFlagLocked(*state, input, expected_version, actor);
}

Status MemoryStore::DeleteFlag(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                               const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return FlagNotFound(key);
  return DeleteFlagLocked(*state, key, expected_version, actor).status();
}

Result<std::vector<FlagRecord>> MemoryStore::ApplyFlags(std::int64_t project_id,
                                                        const std::vector<FlagWrite>& writes,
                                                        const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  // All or nothing: the steps change the state as they go, so a failure puts back what was.
  const std::map<std::string, FlagRecord> saved_flags = state->flags;
  const std::size_t saved_audit = audit_.size();
  std::vector<FlagRecord> out;
  for (const FlagWrite& write : writes) {
    const Actor step_actor(actor.name, write.environment);
    Result<FlagRecord> result =
        write.kind == FlagWrite::Kind::kCreate ? CreateFlagLocked(*state, write.record, step_actor)
        : write.kind == FlagWrite::Kind::kUpdate
            ? UpdateFlagLocked(*state, write.record, write.expected_version, step_actor)
            : DeleteFlagLocked(*state, write.key, write.expected_version, step_actor);
    if (!result.ok()) {
      state->flags = saved_flags;
      audit_.resize(saved_audit);
      return result.status();
    }
    out.push_back(std::move(*result));
  }
  return out;
}

Result<FlagRecord> MemoryStore::GetFlag(std::int64_t project_id, const std::string& key) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  const FlagRecord* record = state == nullptr ? nullptr : FindIn(state->flags, key);
  if (record == nullptr) return FlagNotFound(key);
  return *record;
}

Result<std::vector<FlagRecord>> MemoryStore::ListFlags(std::int64_t project_id, const FlagQuery& query) {
  const std::string lowered_text = AsciiLower(query.text.value_or(""));
  ReaderLock lock(mu_);
  std::vector<FlagRecord> out;
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return out;
  for (const auto& [key, record] : state->flags) {
    if (FlagMatches(record, query, lowered_text)) out.push_back(record);
  }
  return out;
}

// --- Cohorts ---------------------------------------------------------------------------------

Result<CohortRecord> MemoryStore::CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                               const Actor& actor) {
  Result<Cohort> canonical = CanonicalCohort(cohort);
  if (!canonical.ok()) return canonical.status();
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  if (state->cohorts.contains(cohort.id))
    return Status::AlreadyExists("cohort '" + cohort.id + "' exists", "id");
  const std::string now = NowTimestamp();
  CohortRecord record{project_id, std::move(*canonical), 1, now, now};
  state->cohorts[cohort.id] = record;
  AppendAudit(project_id, actor, "cohort.create", "cohort", cohort.id, nullptr,
              CohortAuditJson(record.cohort, record.version));
  return record;
}

Result<CohortRecord> MemoryStore::UpdateCohort(std::int64_t project_id, const Cohort& cohort,
                                               std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  Result<Cohort> canonical = CanonicalCohort(cohort);
  if (!canonical.ok()) return canonical.status();
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  CohortRecord* record = state == nullptr ? nullptr : FindIn(state->cohorts, cohort.id);
  if (record == nullptr) return CohortNotFound(cohort.id);
  if (record->version != expected_version) {
    return VersionConflict("cohort", cohort.id, record->version, expected_version);
  }
  json before = CohortAuditJson(record->cohort, record->version);
  record->cohort = std::move(*canonical);
  record->version += 1;
  record->updated_at = NowTimestamp();
  AppendAudit(project_id, actor, "cohort.update", "cohort", cohort.id, std::move(before),
              CohortAuditJson(record->cohort, record->version));
  return *record;
}

Status MemoryStore::DeleteCohort(std::int64_t project_id, const std::string& id,
                                 std::int64_t expected_version, const Actor& actor) {
  if (Status s = ValidateExpectedVersion(expected_version); !s.ok()) return s;
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  const CohortRecord* record = state == nullptr ? nullptr : FindIn(state->cohorts, id);
  if (record == nullptr) return CohortNotFound(id);
  if (record->version != expected_version)
    return VersionConflict("cohort", id, record->version, expected_version);
  AppendAudit(project_id, actor, "cohort.delete", "cohort", id,
              CohortAuditJson(record->cohort, record->version), nullptr);
  state->cohorts.erase(id);
  return Status::Ok();
}

Result<CohortRecord> MemoryStore::GetCohort(std::int64_t project_id, const std::string& id) {
  ReaderLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  const CohortRecord* record = state == nullptr ? nullptr : FindIn(state->cohorts, id);
  if (record == nullptr) return CohortNotFound(id);
  return *record;
}

Result<std::vector<CohortRecord>> MemoryStore::ListCohorts(std::int64_t project_id) {
  ReaderLock lock(mu_);
  std::vector<CohortRecord> out;
  if (ProjectState* state = FindProject(project_id)) {
    for (const auto& [id, record] : state->cohorts) out.push_back(record);
  }
  return out;
}

// --- Audit -----------------------------------------------------------------------------------

Result<std::vector<AuditEntry>> MemoryStore::ListAudit(const AuditQuery& query) {
  const auto wanted = static_cast<std::size_t>(ClampLimit(query.limit));
  ReaderLock lock(mu_);
  std::vector<AuditEntry> out;
  // Ids are 1..size with no gaps, so the entry with id N sits at index N - 1.
  std::int64_t end = static_cast<std::int64_t>(audit_.size());
  if (query.before_id) end = std::clamp<std::int64_t>(*query.before_id - 1, 0, end);
  for (std::int64_t i = end - 1; i >= 0 && out.size() < wanted; --i) {
    const AuditEntry& entry = audit_[static_cast<std::size_t>(i)];
    if (query.project_id && entry.project_id != query.project_id) continue;
    if (query.entity_type && entry.entity_type != *query.entity_type) continue;
    if (query.entity_key && entry.entity_key != *query.entity_key) continue;
    out.push_back(entry);
  }
  return out;
}

}  // namespace switchyard::store

namespace switchyard::store {

// --- Flag lifecycle --------------------------------------------------------------------------

Status MemoryStore::RecordFlagEvaluations(const std::vector<FlagEvaluationStats>& deltas) {
  WriterLock lock(mu_);
  for (const FlagEvaluationStats& delta : deltas) {
    bool known = false;
    for (const auto& [id, state] : projects_) {
      for (const Environment& environment : state.environments)
        known = known || environment.id == delta.environment_id;
    }
    if (!known) continue;
    FlagEvaluationStats& stats = evaluations_[{delta.environment_id, delta.flag_key}];
    stats.environment_id = delta.environment_id;
    stats.flag_key = delta.flag_key;
    stats.count += delta.count;
    stats.last_evaluated_at = std::max(stats.last_evaluated_at, delta.last_evaluated_at);
  }
  return Status::Ok();
}

Result<std::vector<FlagEvaluationStats>> MemoryStore::ListFlagEvaluations(std::int64_t environment_id) {
  ReaderLock lock(mu_);
  std::vector<FlagEvaluationStats> out;
  for (auto it = evaluations_.lower_bound({environment_id, ""});
       it != evaluations_.end() && it->first.first == environment_id; ++it) {
    out.push_back(it->second);
  }
  return out;
}

Result<FlagSchedule> MemoryStore::CreateFlagSchedule(std::int64_t project_id, const FlagSchedule& input,
                                                     const Actor& actor) {
  WriterLock lock(mu_);
  ProjectState* state = FindProject(project_id);
  if (state == nullptr) return ProjectNotFound(project_id);
  if (!state->flags.contains(input.flag_key)) return FlagNotFound(input.flag_key);
  FlagSchedule schedule = input;
  schedule.id = next_schedule_id_++;
  schedule.project_id = project_id;
  schedule.status = kSchedulePending;
  schedule.created_at = NowTimestamp();
  schedule.created_by = actor.name;
  schedule.fired_at.clear();
  schedule.result.clear();
  schedules_[schedule.id] = schedule;
  AppendAudit(project_id, actor, "flag.schedule", "flag", schedule.flag_key, nullptr,
              FlagScheduleAuditJson(schedule));
  return schedule;
}

Result<std::vector<FlagSchedule>> MemoryStore::ListFlagSchedules(std::int64_t project_id,
                                                                 const std::string& flag_key) {
  ReaderLock lock(mu_);
  std::vector<FlagSchedule> out;
  for (const auto& [id, schedule] : schedules_) {
    if (schedule.project_id == project_id && schedule.flag_key == flag_key) out.push_back(schedule);
  }
  return out;
}

Result<FlagSchedule> MemoryStore::CancelFlagSchedule(std::int64_t project_id, const std::string& flag_key,
                                                     std::int64_t id, const Actor& actor) {
  WriterLock lock(mu_);
  FlagSchedule* schedule = FindIn(schedules_, id);
  if (schedule == nullptr || schedule->project_id != project_id || schedule->flag_key != flag_key)
    return ScheduleNotFound(id);
  if (schedule->status != kSchedulePending) return ScheduleNotPending(*schedule);
  json before = FlagScheduleAuditJson(*schedule);
  schedule->status = kScheduleCancelled;
  AppendAudit(project_id, actor, "flag.unschedule", "flag", flag_key, std::move(before),
              FlagScheduleAuditJson(*schedule));
  return *schedule;
}

bool MemoryStore::Claimable(const FlagSchedule& schedule, const std::string& abandoned_before) {
  return schedule.status == kSchedulePending ||
         (schedule.status == kScheduleFiring && !abandoned_before.empty() &&
          schedule.fired_at < abandoned_before);
}

Result<std::vector<FlagSchedule>> MemoryStore::ListDueFlagSchedules(const std::string& now,
                                                                    const std::string& abandoned_before) {
  ReaderLock lock(mu_);
  std::vector<FlagSchedule> out;
  for (const auto& [id, schedule] : schedules_) {
    if (Claimable(schedule, abandoned_before) && schedule.at <= now) out.push_back(schedule);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FlagSchedule& a, const FlagSchedule& b) { return a.at < b.at; });
  return out;
}

Result<bool> MemoryStore::ClaimFlagSchedule(std::int64_t id, const std::string& now,
                                            const std::string& abandoned_before) {
  WriterLock lock(mu_);
  FlagSchedule* schedule = FindIn(schedules_, id);
  if (schedule == nullptr || !Claimable(*schedule, abandoned_before)) return false;
  schedule->status = kScheduleFiring;
  schedule->fired_at = now;
  return true;
}

Status MemoryStore::FinishFlagSchedule(std::int64_t id, const std::string& status,
                                       const std::string& result) {
  WriterLock lock(mu_);
  FlagSchedule* schedule = FindIn(schedules_, id);
  if (schedule == nullptr) return ScheduleNotFound(id);
  schedule->status = status;
  schedule->result = result;
  schedule->fired_at = NowTimestamp();
  return Status::Ok();
}

}  // namespace switchyard::store
