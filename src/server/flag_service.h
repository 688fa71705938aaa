// FlagService: every change to a project's flags and cohorts goes through here.
//
// A change is validated against the whole project before it is written (a prerequisite must
// exist, no cycles, a cohort in use cannot be deleted), then written with its version check and
// audit entry by the store, then published as a new snapshot. Writers are serialized by one mutex
// so that the validation and the write see the same project; readers are never blocked.
// Thread-safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/thread_annotations.h"
#include "server/flag_snapshots.h"
#include "store/store.h"

namespace switchyard::server {

class FlagService {
 public:
  FlagService(store::Store& store, FlagSnapshots& snapshots) : store_(store), snapshots_(snapshots) {}

  Result<store::FlagRecord> Create(std::int64_t project_id, const Flag& flag, const store::Actor& actor);
  Result<store::FlagRecord> Replace(std::int64_t project_id, const Flag& flag, std::int64_t expected_version,
                                    const store::Actor& actor);
  // Reads the flag, applies `change`, writes it. With no expected_version the change applies to
  // whatever version is current (used by enable/disable/rollout, which touch one field).
  Result<store::FlagRecord> Modify(std::int64_t project_id, const std::string& key,
                                   std::optional<std::int64_t> expected_version,
                                   const std::function<Status(Flag&)>& change, const store::Actor& actor);
  Status Delete(std::int64_t project_id, const std::string& key, std::optional<std::int64_t> expected_version,
                const store::Actor& actor);

  Result<store::CohortRecord> CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                           const store::Actor& actor);
  Result<store::CohortRecord> ReplaceCohort(std::int64_t project_id, const Cohort& cohort,
                                            std::int64_t expected_version, const store::Actor& actor);
  Status DeleteCohort(std::int64_t project_id, const std::string& id,
                      std::optional<std::int64_t> expected_version, const store::Actor& actor);

 private:
  struct Change {
    const Flag* upsert_flag = nullptr;
    const std::string* removed_flag = nullptr;
    const Cohort* upsert_cohort = nullptr;
    const std::string* removed_cohort = nullptr;
  };
  // Would the project still compile after `change`?
  Status Validate(std::int64_t project_id, const Change& change) REQUIRES(write_mutex_);
  Status Publish(std::int64_t project_id) REQUIRES(write_mutex_);

  store::Store& store_;
  FlagSnapshots& snapshots_;
  // Held from a change's validation to its publication: what was validated is what gets written.
  Mutex write_mutex_;
};

}  // namespace switchyard::server
