#include "core/known_fields.h"

#include <optional>
#include <vector>

#include "core/abbreviate.h"
#include "core/closest_name.h"

namespace switchyard::core {
namespace {

// Field names quoted back in errors are client input: keep what is echoed short.
constexpr std::size_t kQuotedNameBytes = 64;

// What a PostHog feature looks like when it is not used.
bool AsksForNothing(const Json& value) {
  if (value.is_null()) return true;
  if (value.is_boolean()) return !value.get<bool>();
  if (value.is_number()) return value.get<double>() == 0;
  if (value.is_array() || value.is_object()) return value.empty();
  return false;
}

// The names a client is meant to send: the only ones suggested (never "did you mean 'updated_by'?").
std::vector<std::string_view> InputNames(FieldList fields) {
  std::vector<std::string_view> names;
  for (const KnownField& field : fields) {
    if (field.role == FieldRole::kInput) names.push_back(field.name);
  }
  return names;
}

// "a, b or c".
std::string Enumerate(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

std::optional<FieldRole> RoleOf(FieldList fields, std::string_view name) {
  for (const KnownField& field : fields) {
    if (field.name == name) return field.role;
  }
  return std::nullopt;
}

Status UnknownField(std::string_view name, const std::string& path, FieldList fields) {
  const std::string quoted = Abbreviate(name, kQuotedNameBytes);
  std::string message = "unknown field '" + quoted + "'";
  if (!path.empty()) message += " in " + path;
  const std::vector<std::string_view> inputs = InputNames(fields);
  if (std::optional<std::string> closest = ClosestName(name, inputs)) {
    message += "; did you mean '" + *closest + "'?";
  } else {
    message += "; expected " + Enumerate(inputs);
  }
  return Status::InvalidArgument(std::move(message), FieldPath(path, quoted));
}

Status CheckFields(const Json& object, const std::string& path, FieldList fields) {
  if (!object.is_object()) return Status::Ok();  // the caller's type check names that problem
  for (const auto& [name, value] : object.items()) {
    const std::optional<FieldRole> role = RoleOf(fields, name);
    if (!role) return UnknownField(name, path, fields);
    if (*role == FieldRole::kUnsupported && !AsksForNothing(value)) {
      return Invalid(FieldPath(path, name),
                     "is set, but Switchyard does not support it (leave it out, or null, false or empty)");
    }
  }
  return Status::Ok();
}

}  // namespace switchyard::core
