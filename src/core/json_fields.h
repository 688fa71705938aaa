// Typed reads of JSON members that report the JSON path of a bad field.
//
// Every reader treats an absent member and an explicit null alike (PostHog writes nulls for
// unset optional fields), leaves the output untouched then, and otherwise insists on the type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::core {

using Json = nlohmann::json;

std::string FieldPath(std::string_view parent, std::string_view name);
std::string IndexPath(std::string_view parent, std::size_t index);
// "<groups_path>[group].properties[filter]"
std::string FilterPath(std::string_view groups_path, std::size_t group, std::size_t filter);

// The member, or nullptr when it is absent or null.
const Json* Member(const Json& object, const char* name);

Status Invalid(const std::string& path, std::string_view problem);  // "<path> <problem>"
// `status` with "<what> \"<name>\": " before its message, for errors found among many flags.
Status InContext(std::string_view what, const std::string& name, const Status& status);

// Runs `read` (returning Status); a nlohmann exception it lets escape (a type check we missed)
// becomes InvalidArgument, so that no exception leaves the core.
template <typename Read>
Status ReadGuarded(std::string_view what, const std::string& field, Read&& read) {
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument("invalid " + std::string(what) + ": " + e.what(), field);
  }
}

Status ExpectObject(const Json& value, const std::string& path);
Status ExpectArray(const Json& value, const std::string& path);

Status ReadString(const Json& object, const char* name, const std::string& parent, std::string* out);
Status ReadString(const Json& object, const char* name, const std::string& parent,
                  std::optional<std::string>* out);
Status ReadRequiredString(const Json& object, const char* name, const std::string& parent, std::string* out);
Status ReadBool(const Json& object, const char* name, const std::string& parent, bool* out);
Status ReadInt64(const Json& object, const char* name, const std::string& parent, std::int64_t* out);
Status ReadNumber(const Json& object, const char* name, const std::string& parent,
                  std::optional<double>* out);

}  // namespace switchyard::core
