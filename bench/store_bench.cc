// Store hot paths: GetPerson (hit and miss) runs on every evaluate request that needs stored
// person properties; UpdatePerson runs per identify/$set event. SQLite is measured as shipped
// (WAL, synchronous=FULL, pooled readers); the memory store is the floor to compare with.
//
//   build-store/bench/sy_bench_store --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace switchyard::store {
namespace {

using nlohmann::json;

constexpr int kPersons = 2000;  // populated one fsync-ed write at a time, so keep it modest

// Ten properties, the size of a typical identified person.
json TypicalProperties(int i) {
  return json{{"email", "user" + std::to_string(i) + "@example.com"},
              {"plan", i % 3 == 0 ? "pro" : "free"},
              {"country", "FR"},
              {"$browser", "Firefox"},
              {"$os", "Linux"},
              {"app_version", "2.14.3"},
              {"signup_date", "2026-03-14T09:26:53Z"},
              {"seats", i % 50},
              {"beta_opt_in", i % 2 == 0},
              {"company", "Company " + std::to_string(i % 400)}};
}

// Spreads successive lookups over the whole key space, deterministically.
int PickPerson(std::int64_t iteration, int thread) {
  return static_cast<int>((iteration * 7919 + thread * 104729) % kPersons);
}

// One populated store per backend, shared by every run and thread of a benchmark (Google
// Benchmark calls SetUp from each thread on the same fixture object, hence call_once).
template <bool kSqlite>
class PersonsFixture : public benchmark::Fixture {
 public:
  void SetUp(benchmark::State&) override {
    std::call_once(populated_, [this] { Populate(); });
  }

  Store& store() { return *store_; }
  std::int64_t project() const { return project_; }

 private:
  void Populate() {
    if constexpr (kSqlite) {
      Result<std::unique_ptr<Store>> opened = OpenSqliteStore(dir_.File("bench.db"));
      if (!opened.ok()) throw std::runtime_error(opened.status().ToString());
      store_ = std::move(*opened);
    } else {
      store_ = NewMemoryStore();
    }
    project_ = store_->CreateProject("bench", "Bench", Actor{"bench"}).value().id;
    for (int i = 0; i < kPersons; ++i) {
      if (!store_->ReplacePerson(project_, "user-" + std::to_string(i), TypicalProperties(i)).ok()) {
        throw std::runtime_error("populating persons failed");
      }
    }
  }

  std::once_flag populated_;
  test_support::TempDir dir_;  // declared before store_: the database closes before its files go
  std::unique_ptr<Store> store_;
  std::int64_t project_ = 0;
};

using SqlitePersons = PersonsFixture<true>;
using MemoryPersons = PersonsFixture<false>;

template <typename Fixture>
void GetPersonHit(Fixture& fixture, benchmark::State& state) {
  std::int64_t i = 0;
  for (auto _ : state) {
    Result<Person> person = fixture.store().GetPerson(
        fixture.project(), "user-" + std::to_string(PickPerson(i++, state.thread_index())));
    if (!person.ok()) state.SkipWithError("lookup failed");
    benchmark::DoNotOptimize(person);
  }
  state.SetItemsProcessed(state.iterations());
}

template <typename Fixture>
void GetPersonMiss(Fixture& fixture, benchmark::State& state) {
  std::int64_t i = 0;
  for (auto _ : state) {
    Result<Person> person = fixture.store().GetPerson(fixture.project(), "nobody-" + std::to_string(i++));
    if (person.status().code() != StatusCode::kNotFound) state.SkipWithError("expected NotFound");
    benchmark::DoNotOptimize(person);
  }
  state.SetItemsProcessed(state.iterations());
}

template <typename Fixture>
void UpdatePerson(Fixture& fixture, benchmark::State& state) {
  std::int64_t i = 0;
  for (auto _ : state) {
    const std::string id = "user-" + std::to_string(PickPerson(i, state.thread_index()));
    Result<Person> person = fixture.store().UpdatePerson(fixture.project(), id, json{{"last_seen", i}},
                                                         json{{"first_seen", i}}, nullptr);
    ++i;
    if (!person.ok()) state.SkipWithError("update failed");
    benchmark::DoNotOptimize(person);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_DEFINE_F(SqlitePersons, GetPersonHit)(benchmark::State& state) {
  GetPersonHit(*this, state);
}
BENCHMARK_DEFINE_F(SqlitePersons, GetPersonMiss)(benchmark::State& state) {
  GetPersonMiss(*this, state);
}
BENCHMARK_DEFINE_F(SqlitePersons, UpdatePerson)(benchmark::State& state) {
  UpdatePerson(*this, state);
}
BENCHMARK_DEFINE_F(MemoryPersons, GetPersonHit)(benchmark::State& state) {
  GetPersonHit(*this, state);
}
BENCHMARK_DEFINE_F(MemoryPersons, UpdatePerson)(benchmark::State& state) {
  UpdatePerson(*this, state);
}

BENCHMARK_REGISTER_F(SqlitePersons, GetPersonHit)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_REGISTER_F(SqlitePersons, GetPersonMiss)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_REGISTER_F(SqlitePersons, UpdatePerson)->Threads(1)->UseRealTime();
BENCHMARK_REGISTER_F(MemoryPersons, GetPersonHit)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_REGISTER_F(MemoryPersons, UpdatePerson)->Threads(1)->UseRealTime();

}  // namespace
}  // namespace switchyard::store

BENCHMARK_MAIN();
