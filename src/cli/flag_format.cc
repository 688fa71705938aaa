#include "cli/flag_format.h"

#include <cmath>
#include <sstream>
#include <utility>
#include <vector>

#include "cli/table_printer.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

const Json& Member(const Json& object, const char* name) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(name);
  return it == object.end() ? kNull : *it;
}

const Json& Groups(const Json& flag) {
  return Member(Member(flag, "filters"), "groups");
}

std::string JoinTags(const Json& tags) {
  std::string out;
  if (!tags.is_array()) return out;
  for (const auto& tag : tags) {
    if (!out.empty()) out += ",";
    out += CellText(tag);
  }
  return out;
}

std::string YesNo(const Json& value) {
  return value.is_boolean() ? (value.get<bool>() ? "yes" : "no") : "";
}

}  // namespace

std::string FormatPercent(double percent) {
  std::ostringstream out;
  if (std::floor(percent) == percent && std::fabs(percent) < 1e15) {
    out << static_cast<long long>(percent);
  } else {
    out << percent;  // default precision: 12.5, 33.3333
  }
  return out.str() + "%";
}

std::string CellText(const Json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string FlagType(const Json& flag) {
  const Json& variants = Member(Member(Member(flag, "filters"), "multivariate"), "variants");
  return variants.is_array() && !variants.empty() ? "multivariate" : "boolean";
}

std::string RolloutSummary(const Json& flag) {
  const Json& groups = Groups(flag);
  std::size_t count = groups.is_array() ? groups.size() : 0;
  if (count != 1) return std::to_string(count) + " groups";
  const Json& percent = Member(groups[0], "rollout_percentage");
  return percent.is_number() ? FormatPercent(percent.get<double>()) : "100%";
}

std::string RenderFlagsTable(const Json& flags) {
  Table table({"key", "active", "type", "rollout", "version", "tags", "name"});
  for (const auto& flag : flags) {
    table.AddRow({CellText(Member(flag, "key")), YesNo(Member(flag, "active")), FlagType(flag),
                  RolloutSummary(flag), CellText(Member(flag, "version")), JoinTags(Member(flag, "tags")),
                  CellText(Member(flag, "name"))});
  }
  return table.Render();
}

std::string RenderFlagDetails(const Json& flag) {
  std::vector<std::pair<std::string, std::string>> lines = {
      {"key", CellText(Member(flag, "key"))},
  };
  // A flag read for one environment says so: active, rollout and filters below are that one's.
  if (Member(flag, "environment").is_string())
    lines.emplace_back("environment", CellText(Member(flag, "environment")));
  lines.insert(lines.end(), {
                                {"name", CellText(Member(flag, "name"))},
                                {"description", CellText(Member(flag, "description"))},
                                {"active", YesNo(Member(flag, "active"))},
                                {"type", FlagType(flag)},
                                {"rollout", RolloutSummary(flag)},
                                {"tags", JoinTags(Member(flag, "tags"))},
                                {"version", CellText(Member(flag, "version"))},
                            });
  if (!Member(flag, "bucketing_property").is_null()) {
    lines.emplace_back("bucketing_property", CellText(Member(flag, "bucketing_property")));
  }
  for (const char* field : {"created_at", "updated_at", "updated_by"}) {
    if (!Member(flag, field).is_null()) lines.emplace_back(field, CellText(Member(flag, field)));
  }
  std::size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.first.size() + 1);
  std::string out;
  for (const auto& [label, value] : lines) {
    out += label + ":" + std::string(width - label.size(), ' ') + value;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  const Json& environments = Member(flag, "environments");
  if (environments.is_object() && !environments.empty()) {
    // Without --env the top level is production's; the others may differ, so show each briefly.
    Table table({"environment", "active", "rollout"});
    for (const auto& [name, targeting] : environments.items()) {
      table.AddRow({name, YesNo(Member(targeting, "active")), RolloutSummary(targeting)});
    }
    out += "environments:\n";
    std::string rendered = table.Render();
    for (std::size_t start = 0; start < rendered.size();) {
      std::size_t end = rendered.find('\n', start);
      out += "  " + rendered.substr(start, end - start + 1);
      start = end + 1;
    }
  }
  out += "filters:\n" + Member(flag, "filters").dump(2) + "\n";
  return out;
}

}  // namespace switchyard::cli
