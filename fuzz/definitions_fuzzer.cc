// Flag and cohort definitions: whatever JSON an admin (or a stored row) holds, FlagFromJson,
// CohortFromJson and FlagSet::Build refuse it with a Status or compile it, and a compiled set
// evaluates.
//
// Input: a JSON document {"flags": [...], "cohorts": [...]}, or a single flag or cohort object.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/flag_json.h"
#include "switchyard/flag_set.h"

namespace {

using nlohmann::json;
using switchyard::Cohort;
using switchyard::Flag;

void Collect(const json& value, std::vector<Flag>& flags, std::vector<Cohort>& cohorts) {
  if (auto flag = switchyard::FlagFromJson(value); flag.ok()) flags.push_back(*flag);
  if (auto cohort = switchyard::CohortFromJson(value); cohort.ok()) cohorts.push_back(*cohort);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  std::vector<Flag> flags;
  std::vector<Cohort> cohorts;
  if (document.is_object() && (document.contains("flags") || document.contains("cohorts"))) {
    for (const char* list : {"flags", "cohorts"}) {
      if (!document.contains(list) || !document[list].is_array()) continue;
      for (const json& item : document[list]) Collect(item, flags, cohorts);
    }
  } else {
    Collect(document, flags, cohorts);
  }
  auto set = switchyard::FlagSet::Build(std::move(flags), std::move(cohorts));
  if (!set.ok()) return 0;
  switchyard::EvaluationContext context;
  context.distinct_id = "fuzz-user";
  context.properties = {{"email", "a@example.com"}, {"age", 30}, {"plan", "pro"}, {"version", "1.2.3"}};
  context.now = std::chrono::system_clock::time_point{std::chrono::seconds(1'700'000'000)};
  (void)(*set)->EvaluateAll(context);
  return 0;
}
