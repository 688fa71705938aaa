// FaultyStore: a Store decorator for tests that fails reads of flag definitions on demand, to
// show what the server does when a write is durable but its snapshot cannot be rebuilt. Every
// call it does not override is passed through by ForwardingStore.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "support/forwarding_store.h"

namespace switchyard::server::testing {

namespace detail {
// Base-from-member: the owned store exists before ForwardingStore takes a reference to it.
struct OwnedStore {
  explicit OwnedStore(std::unique_ptr<store::Store> store) : owned(std::move(store)) {}
  std::unique_ptr<store::Store> owned;
};
}  // namespace detail

class FaultyStore : private detail::OwnedStore, public test_doubles::ForwardingStore {
 public:
  explicit FaultyStore(std::unique_ptr<store::Store> inner)
      : detail::OwnedStore(std::move(inner)), ForwardingStore(*owned) {}

  // ListFlags and ListCohorts fail while set.
  bool fail_definition_reads = false;
  // Sets fail_definition_reads after the next successful flag or cohort write.
  bool fail_reads_after_next_write = false;

  Result<store::FlagRecord> CreateFlag(std::int64_t project_id, const store::FlagRecord& flag,
                                       const store::Actor& actor) override {
    return AfterWrite(ForwardingStore::CreateFlag(project_id, flag, actor));
  }
  Result<store::FlagRecord> UpdateFlag(std::int64_t project_id, const store::FlagRecord& flag,
                                       std::int64_t expected_version, const store::Actor& actor) override {
    return AfterWrite(ForwardingStore::UpdateFlag(project_id, flag, expected_version, actor));
  }
  Status DeleteFlag(std::int64_t project_id, const std::string& key, std::int64_t expected_version,
                    const store::Actor& actor) override {
    return AfterWrite(ForwardingStore::DeleteFlag(project_id, key, expected_version, actor));
  }
  Result<std::vector<store::FlagRecord>> ListFlags(std::int64_t project_id,
                                                   const store::FlagQuery& query) override {
    if (fail_definition_reads) return Status::Unavailable("injected: flag reads fail");
    return ForwardingStore::ListFlags(project_id, query);
  }
  Result<store::CohortRecord> CreateCohort(std::int64_t project_id, const Cohort& cohort,
                                           const store::Actor& actor) override {
    return AfterWrite(ForwardingStore::CreateCohort(project_id, cohort, actor));
  }
  Result<store::CohortRecord> UpdateCohort(std::int64_t project_id, const Cohort& cohort,
                                           std::int64_t expected_version,
                                           const store::Actor& actor) override {
    return AfterWrite(ForwardingStore::UpdateCohort(project_id, cohort, expected_version, actor));
  }
  Status DeleteCohort(std::int64_t project_id, const std::string& id, std::int64_t expected_version,
                      const store::Actor& actor) override {
    return AfterWrite(ForwardingStore::DeleteCohort(project_id, id, expected_version, actor));
  }
  Result<std::vector<store::CohortRecord>> ListCohorts(std::int64_t project_id) override {
    if (fail_definition_reads) return Status::Unavailable("injected: cohort reads fail");
    return ForwardingStore::ListCohorts(project_id);
  }

 private:
  template <typename R>
  R AfterWrite(R result) {
    if (result.ok() && fail_reads_after_next_write) {
      fail_reads_after_next_write = false;
      fail_definition_reads = true;
    }
    return result;
  }
};

}  // namespace switchyard::server::testing
