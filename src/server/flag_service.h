// FlagService: every change to a project's flags and cohorts goes through here.
//
// A flag is one record: a shared definition plus each environment's targeting (store.h). A change
// is computed on the record, checked against every environment whose view of the flag it changes
// (a prerequisite must exist, no cycles, bounded depth, a cohort in use cannot be deleted), then
// written with its version check and audit entry by the store, then published to those
// environments' snapshots together. Validation and publishing derive from the published snapshots
// with FlagSet::With, so a write compiles only the changed flag, never the project.
//
// A change that leaves the record as it is (enable an enabled flag, an identical PUT) writes
// nothing: no version, no audit entry; the result says so.
//
// That derivation trusts the snapshots to match the store. When they may not (the project failed
// to load, or an earlier write could not be published), the project is reloaded from the store
// first: every write retries, so the server converges. A write that is stored but cannot be
// published answers kInternal saying so, and the project stays not ready (FlagSnapshots::NotReady)
// until a rebuild succeeds.
//
// Writers are serialized by one mutex so that the validation and the write see the same project;
// readers are never blocked. Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/flag_apply_plan.h"
#include "server/flag_snapshots.h"
#include "store/store.h"

namespace switchyard::server {

// Keys that name routes under /flags/ (GET /flags/stale, POST /flags/apply): a flag with one of
// them could be created but never read back by key, so new flags may not take them.
bool IsReservedFlagKey(std::string_view key);
inline constexpr char kReservedFlagKeyMessage[] = "is reserved: it names a route under /flags/";

struct FlagWriteResult {
  store::FlagRecord record;
  bool changed = true;  // false: the write would not change the record, and nothing was written
};

struct FlagApplyResult {
  ApplyPlan plan;
  bool applied = false;                   // the plan was written (it had changes, no problems, no dry run)
  std::vector<store::FlagRecord> stored;  // when applied: one record per plan change, as stored
};

// Plans a bulk apply against the project's stored flags and cohorts.
using FlagApplyPlanner = std::function<ApplyPlan(const std::vector<store::FlagRecord>& current,
                                                 const std::vector<Cohort>& cohorts)>;

// Edits a record in place; the environments are the project's (for changes that name none).
using FlagRecordChange =
    std::function<Status(store::FlagRecord& record, const std::vector<store::Environment>& environments)>;

class FlagService {
 public:
  FlagService(store::Store& store, FlagSnapshots& snapshots) : store_(store), snapshots_(snapshots) {}

  // `build` fills a new record (flag.key set) given the project's environments.
  Result<FlagWriteResult> Create(std::int64_t project_id, const FlagRecordChange& build,
                                 const store::Actor& actor);
  // Reads the flag, applies `change`, writes it unless nothing changed. Conflict unless the flag is
  // at expected_version; with none, the change applies to whatever version is current (used by
  // enable/disable/rollout, which touch one field).
  Result<FlagWriteResult> Update(std::int64_t project_id, const std::string& key,
                                 std::optional<std::int64_t> expected_version, const FlagRecordChange& change,
                                 const store::Actor& actor);
  Status Delete(std::int64_t project_id, const std::string& key, std::optional<std::int64_t> expected_version,
                const store::Actor& actor);

  // Plans against the stored project and, unless `dry_run` or the plan has problems, writes it in
  // one store transaction (Store::ApplyFlags) and publishes every environment together. No other
  // write interleaves between planning and writing.
  Result<FlagApplyResult> Apply(std::int64_t project_id, const FlagApplyPlanner& planner, bool dry_run,
                                const store::Actor& actor);

  Result<store::CohortRecord> CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                           const store::Actor& actor);
  Result<store::CohortRecord> ReplaceCohort(std::int64_t project_id, const Cohort& cohort,
                                            std::int64_t expected_version, const store::Actor& actor);
  Status DeleteCohort(std::int64_t project_id, const std::string& id,
                      std::optional<std::int64_t> expected_version, const store::Actor& actor);

  // Adds an environment and publishes its snapshot.
  Result<store::Environment> CreateEnvironment(std::int64_t project_id, const std::string& key,
                                               const std::string& name,
                                               const std::optional<std::string>& copy_from,
                                               const store::Actor& actor);

 private:
  using Changes = std::map<std::int64_t, FlagSet::Change>;  // by environment id
  // The per-environment snapshot changes that take `before` (nullptr: absent) to `after`
  // (nullptr: deleted): one for each environment whose view of the flag differs.
  static Changes FlagChanges(const std::vector<store::Environment>& environments,
                             const store::FlagRecord* before, const store::FlagRecord* after);
  static Changes EveryEnvironment(const std::vector<store::Environment>& environments,
                                  const FlagSet::Change& change);
  // Validates `cohort` in every environment, runs `write`, publishes what it stored.
  Result<store::CohortRecord> WriteCohort(std::int64_t project_id, const Cohort& cohort,
                                          const std::function<Result<store::CohortRecord>()>& write);
  // Would the project still compile after `changes`?
  Status Validate(std::int64_t project_id, const std::vector<store::Environment>& environments,
                  const Changes& changes);
  // Publishes the stored `changes`; kInternal (the write is durable, evaluation is not) if neither
  // deriving nor rebuilding the snapshots works.
  Status Publish(std::int64_t project_id, const std::vector<store::Environment>& environments,
                 const Changes& changes);

  store::Store& store_;
  FlagSnapshots& snapshots_;
  std::mutex write_mutex_;
};

}  // namespace switchyard::server
