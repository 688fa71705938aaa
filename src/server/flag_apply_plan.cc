#include "server/flag_apply_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/json_fields.h"
#include "server/flag_service.h"
#include "store/store_validation.h"
#include "switchyard/flag_set.h"

namespace switchyard::server {
namespace {

using nlohmann::json;

std::vector<std::string> EnvironmentKeys(const FlagScope& scope) {
  std::vector<std::string> keys;
  for (const auto& environment : scope.environments) keys.push_back(environment.key);
  return keys;
}

bool SameRecord(const store::FlagRecord& a, const store::FlagRecord& b) {
  return a.flag == b.flag && a.environments == b.environments;
}

// Every filter that names another flag or a cohort, in any environment's targeting.
template <typename Visit>
void ForEachReference(const store::FlagRecord& record, Visit&& visit) {
  for (const auto& [environment, targeting] : record.environments) {
    for (std::size_t g = 0; g < targeting.groups.size(); ++g) {
      const auto& filters = targeting.groups[g].properties;
      for (std::size_t f = 0; f < filters.size(); ++f) {
        if (filters[f].type != FilterType::kPerson) visit(environment, g, f, filters[f]);
      }
    }
  }
}

// The file's flag at `index`, read on top of its stored record.
struct DesiredFlag {
  std::size_t index = 0;
  store::FlagRecord record;  // canonical, version of the stored one (0 when new)
};

class Planner {
 public:
  Planner(const ApplyRequest& request, const FlagScope& scope, const std::vector<store::FlagRecord>& current,
          const std::vector<Cohort>& cohorts)
      : request_(request), scope_(scope), cohorts_(cohorts), environment_keys_(EnvironmentKeys(scope)) {
    for (const auto& record : current) current_.emplace(record.flag.key, &record);
    for (const auto& cohort : cohorts) cohort_ids_.insert(cohort.id);
  }

  ApplyPlan Run() {
    ReadFile();
    PlanDeletes();
    CheckReferences();
    if (plan_.problems.empty()) CheckCompiles();
    OrderChanges();
    return std::move(plan_);
  }

 private:
  void Problem(std::optional<std::size_t> index, std::string key, Status status) {
    plan_.problems.push_back({index, std::move(key), std::move(status)});
  }

  void ReadFile() {
    if (request_.flags.size() > kMaxFlagsPerApply) {
      Problem(std::nullopt, "",
              Status::InvalidArgument("at most " + std::to_string(kMaxFlagsPerApply) +
                                          " flags per apply; split the file or apply by tag",
                                      "flags"));
      return;
    }
    for (std::size_t i = 0; i < request_.flags.size(); ++i) {
      const std::string where = core::IndexPath("flags", i);
      const json& entry = request_.flags[i];
      const std::string key = entry.is_object() && entry.contains("key") && entry["key"].is_string()
                                  ? entry["key"].get<std::string>()
                                  : "";
      if (!key.empty()) file_keys_.insert(key);
      if (!entry.is_object()) {
        Problem(i, key, Status::InvalidArgument("must be a flag object", where));
        continue;
      }
      auto body = ReadFlagBody(entry, scope_, "");
      if (!body.ok()) {
        Problem(i, key, InFile(where, body.status()));
        continue;
      }
      if (auto [it, fresh] = file_index_.emplace(body->flag.key, i); !fresh) {
        Problem(i, key,
                Status::InvalidArgument(
                    "flag '" + key + "' is also defined at flags[" + std::to_string(it->second) + "]",
                    core::FieldPath(where, "key")));
        continue;
      }
      Desire(i, *body);
    }
  }

  static Status InFile(const std::string& where, const Status& status) {
    return Status(status.code(), status.message(), core::FieldPath(where, status.field()));
  }

  void Desire(std::size_t index, const FlagBody& body) {
    const std::string& key = body.flag.key;
    auto stored = current_.find(key);
    if (stored == current_.end() && IsReservedFlagKey(key)) {
      Problem(
          index, key,
          InFile(core::IndexPath("flags", index), Status::InvalidArgument(kReservedFlagKeyMessage, "key")));
      return;
    }
    store::FlagRecord record;
    if (stored != current_.end()) record = *stored->second;
    ApplyFlagBody(body, scope_.Targets(), record);
    const std::int64_t version = stored == current_.end() ? 1 : stored->second->flag.version;
    auto canonical = store::CanonicalFlagRecord(record, version, environment_keys_);
    if (!canonical.ok()) {
      Problem(index, key, InFile(core::IndexPath("flags", index), canonical.status()));
      return;
    }
    final_[key] = &desired_.emplace(key, std::move(*canonical)).first->second;
    PlannedChange change;
    const store::FlagRecord& after = desired_.at(key);
    if (stored == current_.end()) {
      change.write = {store::FlagWrite::Kind::kCreate, after, "", 0, WriteEnvironment()};
    } else {
      auto before = store::CanonicalFlagRecord(*stored->second, version, environment_keys_);
      if (before.ok() && SameRecord(*before, after)) {
        plan_.unchanged.push_back(key);
        return;
      }
      change.write = {store::FlagWrite::Kind::kUpdate, after, "", version, WriteEnvironment()};
      change.before = *stored->second;
    }
    change.after = after;
    plan_.changes.push_back(std::move(change));
  }

  std::string WriteEnvironment() const { return scope_.environment ? scope_.environment->key : ""; }

  void PlanDeletes() {
    for (const auto& [key, record] : current_) {
      if (desired_.contains(key)) continue;
      // A flag the file defines but could not read stays as it is (its problem is reported). An
      // archived flag is out of the default lists, so an export leaves it out: pruning it would
      // delete what the team chose to keep; deleting one is an explicit `flags delete`.
      if (!request_.prune || file_keys_.contains(key) || record->archived) {
        final_.emplace(key, record);
        continue;
      }
      PlannedChange change;
      change.write = {store::FlagWrite::Kind::kDelete, {}, key, record->flag.version, ""};
      change.before = *record;
      plan_.changes.push_back(std::move(change));
    }
  }

  std::optional<std::size_t> IndexOf(const std::string& key) const {
    auto it = file_index_.find(key);
    if (it == file_index_.end()) return std::nullopt;
    return it->second;
  }

  // Every prerequisite and cohort a flag names must exist once the plan is applied.
  void CheckReferences() {
    for (const auto& entry : final_) {
      const std::string& key = entry.first;  // clang 14 cannot capture a structured binding
      const store::FlagRecord* record = entry.second;
      std::set<std::string> reported;
      const std::optional<std::size_t> index = IndexOf(key);
      ForEachReference(*record, [&](const std::string& environment, std::size_t g, std::size_t f,
                                    const PropertyFilter& filter) {
        const bool is_flag = filter.type == FilterType::kFlag;
        const bool exists = is_flag ? final_.contains(filter.key) : cohort_ids_.contains(filter.key);
        if (exists || !reported.insert(filter.key).second) return;
        std::string message = std::string(is_flag ? "uses flag '" : "uses cohort '") + filter.key + "'";
        if (!is_flag) {
          message += ", which does not exist";
        } else if (current_.contains(filter.key)) {
          message += ", which --prune would delete (the file does not define it)";
        } else {
          message += ", which neither exists nor is defined in the file";
        }
        std::string field = core::FilterPath("filters.groups", g, f) + ".key";
        // Where the file wrote it: per environment, or once at the top level for all of them.
        if (index && request_.flags[*index].contains("environments")) {
          field = "environments." + environment + "." + field;
        }
        if (index) {
          field = core::FieldPath(core::IndexPath("flags", *index), field);
        } else {
          message = "flag '" + key + "' (not in the file) " + message;
          field = "flags";
        }
        Problem(index, key,
                Status::InvalidArgument(index ? "flag '" + key + "' " + message : message, field));
      });
    }
  }

  // Cycles and depth limits are properties of the whole set: compile each environment's result.
  void CheckCompiles() {
    for (const std::string& environment : environment_keys_) {
      std::vector<Flag> flags;
      flags.reserve(final_.size());
      for (const auto& [key, record] : final_) flags.push_back(record->In(environment));
      std::vector<Cohort> cohorts = cohorts_;
      if (auto set = FlagSet::Build(std::move(flags), std::move(cohorts)); !set.ok()) {
        Problem(std::nullopt, "",
                Status(set.status().code(), "in " + environment + ": " + set.status().message(), "flags"));
        return;
      }
    }
  }

  // Creates after the creates they depend on (the store checks nothing of the kind, but the audit
  // log then reads in an order that could have been applied one by one), then updates, deletes.
  void OrderChanges() {
    std::vector<PlannedChange> creates, updates, deletes;
    for (PlannedChange& change : plan_.changes) {
      auto& bucket = change.write.kind == store::FlagWrite::Kind::kCreate   ? creates
                     : change.write.kind == store::FlagWrite::Kind::kUpdate ? updates
                                                                            : deletes;
      bucket.push_back(std::move(change));
    }
    auto by_key = [](const PlannedChange& a, const PlannedChange& b) { return KeyOf(a) < KeyOf(b); };
    std::sort(creates.begin(), creates.end(), by_key);
    std::sort(updates.begin(), updates.end(), by_key);
    std::sort(deletes.begin(), deletes.end(), by_key);
    plan_.changes.clear();
    std::set<std::string> pending;
    for (const auto& change : creates) pending.insert(KeyOf(change));
    // Repeatedly take the first create whose prerequisites are placed; a cycle (already a
    // problem) falls back to key order.
    std::vector<bool> placed(creates.size(), false);
    for (std::size_t round = 0; round < creates.size(); ++round) {
      std::size_t pick = creates.size();
      for (std::size_t i = 0; i < creates.size() && pick == creates.size(); ++i) {
        if (placed[i]) continue;
        bool ready = true;
        ForEachReference(*creates[i].after,
                         [&](const std::string&, std::size_t, std::size_t, const PropertyFilter& filter) {
                           if (filter.type == FilterType::kFlag && filter.key != KeyOf(creates[i]) &&
                               pending.contains(filter.key))
                             ready = false;
                         });
        if (ready) pick = i;
      }
      if (pick == creates.size())
        pick = static_cast<std::size_t>(std::find(placed.begin(), placed.end(), false) - placed.begin());
      placed[pick] = true;
      pending.erase(KeyOf(creates[pick]));
      plan_.changes.push_back(std::move(creates[pick]));
    }
    for (auto& change : updates) plan_.changes.push_back(std::move(change));
    for (auto& change : deletes) plan_.changes.push_back(std::move(change));
    std::sort(plan_.unchanged.begin(), plan_.unchanged.end());
    std::stable_sort(plan_.problems.begin(), plan_.problems.end(),
                     [](const ApplyProblem& a, const ApplyProblem& b) {
                       return a.index.value_or(SIZE_MAX) < b.index.value_or(SIZE_MAX);
                     });
  }

  static const std::string& KeyOf(const PlannedChange& change) {
    return change.write.kind == store::FlagWrite::Kind::kDelete ? change.write.key
                                                                : change.write.record.flag.key;
  }

  const ApplyRequest& request_;
  const FlagScope& scope_;
  const std::vector<Cohort>& cohorts_;
  const std::vector<std::string> environment_keys_;
  std::set<std::string> file_keys_;                // every key the file names
  std::map<std::string, std::size_t> file_index_;  // the file's flags that parsed, by key
  std::map<std::string, const store::FlagRecord*> current_;
  std::set<std::string> cohort_ids_;
  std::map<std::string, store::FlagRecord> desired_;
  std::map<std::string, const store::FlagRecord*> final_;  // the project once applied
  ApplyPlan plan_;
};

}  // namespace

ApplyPlan PlanFlagApply(const ApplyRequest& request, const FlagScope& scope,
                        const std::vector<store::FlagRecord>& current, const std::vector<Cohort>& cohorts) {
  return Planner(request, scope, current, cohorts).Run();
}

}  // namespace switchyard::server
