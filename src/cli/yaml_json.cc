#include "cli/yaml_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <regex>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

constexpr char kStrTag[] = "tag:yaml.org,2002:str";
constexpr char kNonSpecificTag[] = "!";  // what yaml-cpp reports for quoted scalars
constexpr std::size_t kMaxFlowListItems = 8;

bool IsOneOf(std::string_view text, std::initializer_list<std::string_view> options) {
  for (std::string_view option : options) {
    if (text == option) return true;
  }
  return false;
}

std::string AtLine(const YAML::Mark& mark) {
  return mark.is_null() ? std::string() : " at line " + std::to_string(mark.line + 1);
}

// Integers that overflow int64 become doubles, as JSON parsers do.
Json ParseFloat(std::string_view text);

Json ParseInteger(std::string_view text, int base) {
  std::string_view digits = text;
  bool negative = !digits.empty() && digits.front() == '-';
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
  if (base != 10) digits.remove_prefix(2);  // "0x" / "0o"
  std::uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (ec == std::errc::result_out_of_range && base == 10) return ParseFloat(text);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return Json(std::string(text));
  if (!negative) {
    if (magnitude <= static_cast<std::uint64_t>(INT64_MAX)) return Json(static_cast<std::int64_t>(magnitude));
    return Json(magnitude);
  }
  if (magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
    return Json(static_cast<std::int64_t>(0 - magnitude));
  }
  return Json(-static_cast<double>(magnitude));
}

Json ParseFloat(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return Json(std::string(text));
  return Json(value);
}

Result<Json> ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  const std::string& tag = node.Tag();
  if (tag == kNonSpecificTag || tag == kStrTag) return Json(text);
  if (tag != "?" && !tag.empty()) {
    // Other explicit tags (!!int, !!bool, ...): the plain reading already types them.
    if (tag.rfind("tag:yaml.org,2002:", 0) != 0) {
      return Status::InvalidArgument("unsupported YAML tag '" + tag + "'" + AtLine(node.Mark()));
    }
  }
  Json value = PlainScalarToJson(text);
  if (value.is_number_float() && !std::isfinite(value.get<double>())) {
    return Status::InvalidArgument("YAML value '" + text + "' has no JSON equivalent" + AtLine(node.Mark()));
  }
  return value;
}

Result<Json> MapToJson(const YAML::Node& node) {
  Json out = Json::object();
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      return Status::InvalidArgument("YAML mapping keys must be scalars" + AtLine(entry.first.Mark()));
    }
    const std::string& key = entry.first.Scalar();
    if (out.contains(key)) {
      return Status::InvalidArgument("duplicate YAML key '" + key + "'" + AtLine(entry.first.Mark()));
    }
    Result<Json> value = YamlToJson(entry.second);
    if (!value.ok()) return value;
    out[key] = std::move(value).value();
  }
  return out;
}

bool IsScalarJson(const Json& value) {
  return !value.is_object() && !value.is_array();
}

void EmitString(YAML::Emitter& out, const std::string& text) {
  // Quote whatever a reader would otherwise take for a number, bool or null.
  if (!PlainScalarToJson(text).is_string() || text.empty()) out << YAML::DoubleQuoted;
  out << text;
}

}  // namespace

Json PlainScalarToJson(std::string_view text) {
  static const std::regex kDecimal(R"([-+]?[0-9]+)");
  static const std::regex kOctal(R"(0o[0-7]+)");
  static const std::regex kHex(R"(0x[0-9a-fA-F]+)");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (IsOneOf(text, {"", "~", "null", "Null", "NULL"})) return Json();
  if (IsOneOf(text, {"true", "True", "TRUE"})) return Json(true);
  if (IsOneOf(text, {"false", "False", "FALSE"})) return Json(false);
  if (IsOneOf(text, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) return Json(INFINITY);
  if (IsOneOf(text, {"-.inf", "-.Inf", "-.INF"})) return Json(-INFINITY);
  if (IsOneOf(text, {".nan", ".NaN", ".NAN"})) return Json(NAN);
  std::string s(text);
  if (std::regex_match(s, kDecimal)) return ParseInteger(text, 10);
  if (std::regex_match(s, kOctal)) return ParseInteger(text, 8);
  if (std::regex_match(s, kHex)) return ParseInteger(text, 16);
  if (std::regex_match(s, kFloat)) return ParseFloat(text);
  return Json(std::move(s));
}

Result<Json> YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return Json();
    case YAML::NodeType::Scalar: return ScalarToJson(node);
    case YAML::NodeType::Map: return MapToJson(node);
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) {
        Result<Json> value = YamlToJson(item);
        if (!value.ok()) return value;
        out.push_back(std::move(value).value());
      }
      return out;
    }
  }
  return Json();
}

Result<Json> ParseYaml(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument("invalid YAML" + AtLine(e.mark) + ": " + e.msg);
  }
  return YamlToJson(root);
}

void EmitJson(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: out << YAML::Null; return;
    case Json::value_t::boolean: out << value.get<bool>(); return;
    case Json::value_t::string: EmitString(out, value.get_ref<const std::string&>()); return;
    case Json::value_t::array: {
      bool flow = value.empty() || (value.size() <= kMaxFlowListItems &&
                                    std::all_of(value.begin(), value.end(), IsScalarJson));
      if (flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : value) EmitJson(out, item);
      out << YAML::EndSeq;
      return;
    }
    case Json::value_t::object: {
      if (value.empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key;
        EmitString(out, key);
        out << YAML::Value;
        EmitJson(out, item);
      }
      out << YAML::EndMap;
      return;
    }
    default: out << value.dump(); return;  // numbers: nlohmann's shortest round-trip form
  }
}

std::string JsonToYaml(const Json& value) {
  YAML::Emitter out;
  EmitJson(out, value);
  std::string text = out.c_str();
  if (text.empty() || text.back() != '\n') text += '\n';
  return text;
}

}  // namespace switchyard::cli
