#include "core/json_fields.h"

namespace switchyard::core {
namespace {

Status WrongType(const std::string& path, std::string_view expected, const Json& got) {
  return Invalid(path, "must be " + std::string(expected) + ", not " + got.type_name());
}

}  // namespace

std::string FieldPath(std::string_view parent, std::string_view name) {
  if (parent.empty()) return std::string(name);
  std::string path(parent);
  path += '.';
  path += name;
  return path;
}

std::string IndexPath(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string FilterPath(std::string_view groups_path, std::size_t group, std::size_t filter) {
  return IndexPath(FieldPath(IndexPath(groups_path, group), "properties"), filter);
}

Status InContext(std::string_view what, const std::string& name, const Status& status) {
  std::string message(what);
  message += " \"";
  message += name;
  message += "\": ";
  message += status.message();
  return Status(status.code(), std::move(message), status.field());
}

const Json* Member(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

Status Invalid(const std::string& path, std::string_view problem) {
  std::string message = path.empty() ? std::string("value") : path;
  message += ' ';
  message += problem;
  return Status::InvalidArgument(std::move(message), path);
}

Status ExpectObject(const Json& value, const std::string& path) {
  return value.is_object() ? Status::Ok() : WrongType(path, "an object", value);
}

Status ExpectArray(const Json& value, const std::string& path) {
  return value.is_array() ? Status::Ok() : WrongType(path, "an array", value);
}

Status ReadString(const Json& object, const char* name, const std::string& parent, std::string* out) {
  const Json* member = Member(object, name);
  if (member == nullptr) return Status::Ok();
  if (!member->is_string()) return WrongType(FieldPath(parent, name), "a string", *member);
  *out = member->get<std::string>();
  return Status::Ok();
}

Status ReadString(const Json& object, const char* name, const std::string& parent,
                  std::optional<std::string>* out) {
  const Json* member = Member(object, name);
  if (member == nullptr) return Status::Ok();
  if (!member->is_string()) return WrongType(FieldPath(parent, name), "a string", *member);
  *out = member->get<std::string>();
  return Status::Ok();
}

Status ReadRequiredString(const Json& object, const char* name, const std::string& parent, std::string* out) {
  if (Member(object, name) == nullptr) return Invalid(FieldPath(parent, name), "is required");
  return ReadString(object, name, parent, out);
}

Status ReadBool(const Json& object, const char* name, const std::string& parent, bool* out) {
  const Json* member = Member(object, name);
  if (member == nullptr) return Status::Ok();
  if (!member->is_boolean()) return WrongType(FieldPath(parent, name), "a boolean", *member);
  *out = member->get<bool>();
  return Status::Ok();
}

Status ReadInt64(const Json& object, const char* name, const std::string& parent, std::int64_t* out) {
  const Json* member = Member(object, name);
  if (member == nullptr) return Status::Ok();
  if (member->is_number_unsigned() && member->get<std::uint64_t>() > INT64_MAX) {
    return Invalid(FieldPath(parent, name), "is out of range");
  }
  if (!member->is_number_integer()) return WrongType(FieldPath(parent, name), "an integer", *member);
  *out = member->get<std::int64_t>();
  return Status::Ok();
}

Status ReadNumber(const Json& object, const char* name, const std::string& parent,
                  std::optional<double>* out) {
  const Json* member = Member(object, name);
  if (member == nullptr) return Status::Ok();
  if (!member->is_number()) return WrongType(FieldPath(parent, name), "a number", *member);
  *out = member->get<double>();
  return Status::Ok();
}

}  // namespace switchyard::core
