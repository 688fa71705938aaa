// In-process flag evaluation costs. Budgets (Release): one flag with a rollout and two property
// filters <= 300 ns median; all of 50 flags for one user <= 15 us. The BM_Sha1_* benchmarks
// compare OpenSSL's SHA-1 interfaces with BM_BucketHash (what the engine uses).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

#include "switchyard/flag_json.h"
#include "switchyard/flag_set.h"

namespace switchyard {
namespace {

using nlohmann::json;

constexpr int kUsers = 256;

std::vector<EvaluationContext> Users() {
  std::vector<EvaluationContext> users(kUsers);
  for (int i = 0; i < kUsers; ++i) {
    users[i].distinct_id = "user-" + std::to_string(i * 7919);
    users[i].properties = {{"email", "person" + std::to_string(i) + (i % 2 ? "@acme.com" : "@example.org")},
                           {"country", i % 3 ? "US" : "FR"},
                           {"plan", i % 4 ? "pro" : "free"},
                           {"age", 18 + i % 50},
                           {"app_version", "2." + std::to_string(i % 10) + ".1"},
                           {"signed_up_at", "2024-0" + std::to_string(1 + i % 9) + "-15T10:00:00Z"},
                           {"$device_id", "dev-" + std::to_string(i)},
                           {"company", "Acme Corp"},
                           {"beta", i % 5 == 0},
                           {"logins", i * 3}};
  }
  return users;
}

Flag MustParse(const json& j) {
  Result<Flag> flag = FlagFromJson(j);
  if (!flag.ok()) throw std::runtime_error(flag.status().ToString());
  return *flag;
}

json RolloutTwoFilters(const std::string& key) {
  return {{"key", key},
          {"filters",
           {{"groups",
             {{{"properties",
                {{{"key", "email"}, {"operator", "icontains"}, {"value", "@acme.com"}},
                 {{"key", "country"}, {"operator", "exact"}, {"value", {"US", "CA"}}}}},
               {"rollout_percentage", 50}}}}}}};
}

json Multivariate(const std::string& key) {
  return {{"key", key},
          {"filters",
           {{"groups", {{{"properties", {{{"key", "plan"}, {"value", "pro"}}}}, {"rollout_percentage", 80}}}},
            {"multivariate",
             {{"variants",
               {{{"key", "control"}, {"rollout_percentage", 34}},
                {{"key", "test-a"}, {"rollout_percentage", 33}},
                {{"key", "test-b"}, {"rollout_percentage", 33}}}}}},
            {"payloads", {{"test-a", R"({"color":"blue"})"}}}}}};
}

json Mixed(int i) {
  const std::string key = "flag-" + std::to_string(100 + i);
  switch (i % 5) {
    case 0: return RolloutTwoFilters(key);
    case 1: return Multivariate(key);
    case 2:
      return {{"key", key},
              {"filters",
               {{"groups",
                 {{{"properties",
                    {{{"key", "app_version"}, {"operator", "semver_gte"}, {"value", "2.3.0"}},
                     {{"key", "signed_up_at"}, {"operator", "is_date_after"}, {"value", "-365d"}}}}},
                  {{"rollout_percentage", 10}}}}}}};
    case 3:
      return {{"key", key},
              {"filters",
               {{"groups",
                 {{{"properties",
                    {{{"key", "email"}, {"operator", "regex"}, {"value", "^person[0-9]+@acme\\.com$"}},
                     {{"key", "age"}, {"operator", "gte"}, {"value", 30}}}}}}}}}};
    default:
      return {{"key", key},
              {"filters",
               {{"groups",
                 {{{"properties",
                    {{{"key", "flag-" + std::to_string(100 + i - 4)}, {"type", "flag"}, {"value", true}}}},
                   {"rollout_percentage", 75}}}}}}};
  }
}

std::shared_ptr<const FlagSet> BuildSet(const std::vector<json>& definitions) {
  std::vector<Flag> flags;
  for (const json& j : definitions) flags.push_back(MustParse(j));
  Result<std::shared_ptr<const FlagSet>> set = FlagSet::Build(std::move(flags));
  if (!set.ok()) throw std::runtime_error(set.status().ToString());
  return *set;
}

// Worst case: every user passes both filters, so each evaluation also hashes for the rollout.
void BM_EvaluateOneFlag_RolloutTwoFilters(benchmark::State& state) {
  const auto set = BuildSet({RolloutTwoFilters("new-checkout")});
  auto users = Users();
  for (auto& user : users) {
    user.properties["email"] = user.distinct_id + "@ACME.com";
    user.properties["country"] = "CA";
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(set->Evaluate("new-checkout", users[i++ % kUsers]));
  }
}
BENCHMARK(BM_EvaluateOneFlag_RolloutTwoFilters);

// Worst case again: everyone matches, so both the rollout and the variant hash run.
void BM_EvaluateOneFlag_Multivariate(benchmark::State& state) {
  const auto set = BuildSet({Multivariate("pricing-page-experiment")});
  auto users = Users();
  for (auto& user : users) user.properties["plan"] = "pro";
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(set->Evaluate("pricing-page-experiment", users[i++ % kUsers]));
  }
}
BENCHMARK(BM_EvaluateOneFlag_Multivariate);

void BM_EvaluateAll50Flags(benchmark::State& state) {
  std::vector<json> definitions;
  for (int i = 0; i < 50; ++i) definitions.push_back(Mixed(i));
  const auto set = BuildSet(definitions);
  const auto users = Users();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(set->EvaluateAll(users[i++ % kUsers]));
  }
}
BENCHMARK(BM_EvaluateAll50Flags);

void BM_BucketHash(benchmark::State& state) {
  std::size_t i = 0;
  const auto users = Users();
  for (auto _ : state) {
    benchmark::DoNotOptimize(BucketHash("new-checkout", users[i++ % kUsers].distinct_id));
  }
}
BENCHMARK(BM_BucketHash);

// The SHA-1 interfaces of OpenSSL 3 we measured for the hot path (see src/core/bucket_hash.h);
// the engine uses the last one, through BucketHash above.
constexpr std::string_view kKey = "new-checkout";
constexpr std::string_view kId = "user-12345";

void HashWithContext(EVP_MD_CTX* ctx, const EVP_MD* md) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestInit_ex2(ctx, md, nullptr);
  EVP_DigestUpdate(ctx, kKey.data(), kKey.size());
  EVP_DigestUpdate(ctx, ".", 1);
  EVP_DigestUpdate(ctx, kId.data(), kId.size());
  EVP_DigestFinal_ex(ctx, digest, &length);
  benchmark::DoNotOptimize(digest);
}

void BM_Sha1_EvpOneShotImplicitFetch(benchmark::State& state) {
  const std::string input = std::string(kKey) + "." + std::string(kId);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  for (auto _ : state) {
    EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha1(), nullptr);
    benchmark::DoNotOptimize(digest);
  }
}
BENCHMARK(BM_Sha1_EvpOneShotImplicitFetch);

void BM_Sha1_EvpFetchedNewContextPerHash(benchmark::State& state) {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    HashWithContext(ctx, md);
    EVP_MD_CTX_free(ctx);
  }
  EVP_MD_free(md);
}
BENCHMARK(BM_Sha1_EvpFetchedNewContextPerHash);

void BM_Sha1_EvpFetchedReusedContext(benchmark::State& state) {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  for (auto _ : state) HashWithContext(ctx, md);
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
}
BENCHMARK(BM_Sha1_EvpFetchedReusedContext);

}  // namespace
}  // namespace switchyard

BENCHMARK_MAIN();
