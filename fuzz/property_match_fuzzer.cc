// Property values against every operator: a filter value and a person property value, both
// fuzzed, matched under each person-property operator through the public engine (compile, then
// evaluate), so that the compiled forms (regexes, dates, versions, numbers) are exercised too.
//
// Input: "<filter value>\n<property value>", each JSON when it parses and a string otherwise.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/flag_json.h"
#include "switchyard/flag_set.h"

namespace {

using nlohmann::json;

constexpr const char* kOperators[] = {"exact",
                                      "is_not",
                                      "is_set",
                                      "is_not_set",
                                      "icontains",
                                      "not_icontains",
                                      "starts_with",
                                      "not_starts_with",
                                      "ends_with",
                                      "not_ends_with",
                                      "regex",
                                      "not_regex",
                                      "gt",
                                      "gte",
                                      "lt",
                                      "lte",
                                      "is_date_before",
                                      "is_date_after",
                                      "semver_eq",
                                      "semver_neq",
                                      "semver_gt",
                                      "semver_gte",
                                      "semver_lt",
                                      "semver_lte",
                                      "semver_tilde",
                                      "semver_caret",
                                      "semver_wildcard"};

json JsonOrString(std::string_view text) {
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? json(std::string(text)) : value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const json filter_value = JsonOrString(input.substr(0, newline));
  const json property_value =
      newline == std::string_view::npos ? json(nullptr) : JsonOrString(input.substr(newline + 1));

  switchyard::EvaluationContext context;
  context.distinct_id = "fuzz-user";
  context.properties = {{"p", property_value}};
  context.now = std::chrono::system_clock::time_point{std::chrono::seconds(1'700'000'000)};
  for (const char* op : kOperators) {
    json definition = {{"key", "f"},
                       {"active", true},
                       {"filters",
                        {{"groups", json::array({{{"properties", json::array({{{"key", "p"},
                                                                               {"type", "person"},
                                                                               {"operator", op},
                                                                               {"value", filter_value}}})},
                                                  {"rollout_percentage", 100}}})}}}};
    auto flag = switchyard::FlagFromJson(definition);
    if (!flag.ok()) continue;
    auto set = switchyard::FlagSet::Build({*flag});
    if (!set.ok()) continue;
    (void)(*set)->Evaluate("f", context);
  }
  return 0;
}
