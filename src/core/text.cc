#include "core/text.h"

#include <charconv>
#include <cmath>

namespace switchyard::core {
namespace {

constexpr std::size_t kMaxKeyLength = 200;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

bool EqualsLowered(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (LowerAscii(text[i]) != lower[i]) return false;
  }
  return true;
}

std::optional<double> ParseNumber(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<double> NumberOf(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return ParseNumber(value.get_ref<const std::string&>());
  return std::nullopt;
}

void AppendStringified(const nlohmann::json& value, std::string* out) {
  switch (value.type()) {
    case nlohmann::json::value_t::string: *out += value.get_ref<const std::string&>(); return;
    case nlohmann::json::value_t::boolean: *out += value.get<bool>() ? "true" : "false"; return;
    case nlohmann::json::value_t::number_integer: {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, value.get<std::int64_t>());
      out->append(buf, r.ptr);
      return;
    }
    case nlohmann::json::value_t::number_unsigned: {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, value.get<std::uint64_t>());
      out->append(buf, r.ptr);
      return;
    }
    default:
      // Floats: nlohmann prints the shortest round-trip form with ".0" for integral values, as
      // Python does. Invalid UTF-8 inside arrays/objects is replaced rather than thrown about.
      *out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
  }
}

std::string Stringify(const nlohmann::json& value) {
  std::string out;
  AppendStringified(value, &out);
  return out;
}

bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeyLength) return false;
  // Keys are URL path segments; "." and ".." would name the collection or its parent there.
  if (key == "." || key == "..") return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace switchyard::core
