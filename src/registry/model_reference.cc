#include "registry/model_reference.h"

#include <charconv>

namespace switchyard::registry {
namespace {

constexpr std::size_t kMaxNameLength = 64;

bool IsLower(char c) {
  return c >= 'a' && c <= 'z';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Client input is quoted in errors only up to a bound.
std::string Quoted(std::string_view text) {
  return "'" + std::string(text.substr(0, kMaxNameLength)) + (text.size() > kMaxNameLength ? "…'" : "'");
}

bool IsVersionPart(std::string_view part) {
  if (part.empty() || part.size() > 9) return false;
  for (char c : part)
    if (!IsDigit(c)) return false;
  return part.size() == 1 || part[0] != '0';
}

std::int64_t PartValue(std::string_view part) {
  std::int64_t value = 0;
  std::from_chars(part.data(), part.data() + part.size(), value);
  return value;
}

}  // namespace

Status ValidateModelName(std::string_view name, const std::string& field) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength && (IsLower(name[0]) || IsDigit(name[0]));
  for (char c : name) ok = ok && (IsLower(c) || IsDigit(c) || c == '.' || c == '_' || c == '-');
  if (ok) return Status::Ok();
  return Status::InvalidArgument("model name " + Quoted(name) +
                                     " must be 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a "
                                     "letter or digit",
                                 field);
}

Status ValidateModelVersionString(std::string_view version, const std::string& field) {
  std::size_t first = version.find('.');
  std::size_t second = first == std::string_view::npos ? first : version.find('.', first + 1);
  bool ok = second != std::string_view::npos && IsVersionPart(version.substr(0, first)) &&
            IsVersionPart(version.substr(first + 1, second - first - 1)) &&
            IsVersionPart(version.substr(second + 1));
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      "version " + Quoted(version) + " must be MAJOR.MINOR.PATCH (digits, no leading zeros), e.g. 1.4.0",
      field);
}

Status ValidateAliasName(std::string_view alias, const std::string& field) {
  bool ok = !alias.empty() && alias.size() <= kMaxNameLength && IsLower(alias[0]);
  for (char c : alias) ok = ok && (IsLower(c) || IsDigit(c) || c == '-');
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      "alias " + Quoted(alias) + " must be 1-64 characters of a-z, 0-9 and '-', starting with a letter",
      field);
}

core::Semver VersionOrder(std::string_view version) {
  std::size_t first = version.find('.');
  std::size_t second = version.find('.', first + 1);
  return {PartValue(version.substr(0, first)), PartValue(version.substr(first + 1, second - first - 1)),
          PartValue(version.substr(second + 1))};
}

Result<ModelReference> ParseModelReference(std::string_view text, const std::string& field) {
  ModelReference ref;
  std::size_t at = text.find('@');
  std::string_view name = text.substr(0, at);
  if (Status s = ValidateModelName(name, field); !s.ok())
    return Status::InvalidArgument("model reference " + Quoted(text) + ": " + s.message(), field);
  ref.name = std::string(name);
  if (at == std::string_view::npos) {
    ref.alias = kLatestAlias;
    return ref;
  }
  std::string_view target = text.substr(at + 1);
  if (!target.empty() && IsDigit(target[0])) {
    if (Status s = ValidateModelVersionString(target, field); !s.ok())
      return Status::InvalidArgument("model reference " + Quoted(text) + ": " + s.message(), field);
    ref.version = std::string(target);
  } else {
    if (Status s = ValidateAliasName(target, field); !s.ok())
      return Status::InvalidArgument(
          "model reference " + Quoted(text) + " must be name, name@alias or name@version: " + s.message(),
          field);
    ref.alias = std::string(target);
  }
  return ref;
}

}  // namespace switchyard::registry
