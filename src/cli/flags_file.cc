#include "cli/flags_file.h"

#include <yaml-cpp/yaml.h>

#include "cli/flag_diff.h"
#include "cli/yaml_json.h"
#include "core/json_fields.h"
#include "core/known_fields.h"
#include "switchyard/flag_json.h"

namespace switchyard::cli {
namespace {

constexpr core::KnownField kFlagsFileFields[] = {{"project"}, {"flags"}};

}  // namespace

std::string RenderFlagsFile(const std::string& project, const nlohmann::json& flags) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "project" << YAML::Value;
  EmitJson(out, project);
  out << YAML::Key << "flags" << YAML::Value;
  if (flags.empty()) out << YAML::Flow;
  out << YAML::BeginSeq;
  for (const auto& flag : flags) {
    out << YAML::BeginMap;
    const bool per_environment = flag.contains("environments");
    for (const std::string& field : DefinitionFields()) {
      auto it = flag.find(field);
      if (it == flag.end() || it->is_null()) continue;
      // The top level of a flag read across environments repeats production's targeting.
      if (per_environment && (field == "active" || field == "filters")) continue;
      out << YAML::Key << field << YAML::Value;
      EmitJson(out, *it);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string("# switchyard flags-as-code\n") + out.c_str() + "\n";
}

Result<FlagsFile> ParseFlagsFile(std::string_view text, const std::string& origin) {
  Result<nlohmann::json> document = ParseYaml(text);
  if (!document.ok()) return Status::InvalidArgument(origin + ": " + document.status().message());
  if (!document->is_object()) {
    return Status::InvalidArgument(origin + ": expected a mapping with 'project' and 'flags'");
  }
  if (Status s = core::CheckFields(*document, "", kFlagsFileFields); !s.ok()) {
    return Status::InvalidArgument(origin + ": " + s.message(), s.field());
  }
  FlagsFile file;
  if (auto project = document->find("project"); project != document->end() && !project->is_null()) {
    if (!project->is_string()) return Status::InvalidArgument(origin + ": must be a string", "project");
    file.project = project->get<std::string>();
  }
  // A missing list is an error rather than "no flags": with --prune it would delete everything.
  auto flags = document->find("flags");
  if (flags == document->end() || !flags->is_array()) {
    return Status::InvalidArgument(origin + ": must be a list of flags (use [] for none)", "flags");
  }
  file.flags = *flags;
  return file;
}

Status CheckFlagDefinition(const nlohmann::json& flag, const std::string& origin,
                           const std::string& field_prefix) {
  Result<Flag> parsed = FlagFromJson(flag);
  if (parsed.ok()) return Status::Ok();
  const Status& problem = parsed.status();
  std::string where = origin + ": ";
  if (flag.is_object() && flag.contains("key") && flag["key"].is_string()) {
    where += "flag '" + flag["key"].get<std::string>() + "': ";
  } else if (!field_prefix.empty()) {
    where += field_prefix + ": ";
  }
  const std::string field =
      problem.field().empty() ? field_prefix : core::FieldPath(field_prefix, problem.field());
  return Status::InvalidArgument(where + problem.message(), field);
}

}  // namespace switchyard::cli
