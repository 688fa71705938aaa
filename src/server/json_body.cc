#include "server/json_body.h"

#include <cmath>
#include <string>

#include <simdjson.h>

namespace switchyard::server {
namespace {

namespace dom = simdjson::dom;
using nlohmann::json;

// simdjson's DOM, rebuilt as the nlohmann DOM that handlers read. nlohmann's own parser reads a
// byte at a time through an input adapter; simdjson validates and splits the body in one vector
// pass, which made the parse of a /flags body a third of its former cost. The recursion follows
// the nesting, which the parser has already bounded at kMaxBodyDepth.
//
// False where the result could differ from core::ParseBoundedJson's, which then decides (and
// words any refusal): a repeated key (refused there) and a negative zero (simdjson reads "-0" as
// a double, nlohmann as the integer 0).
bool RebuildAsNlohmann(dom::element value, json& out) {
  switch (value.type()) {
    case dom::element_type::NULL_VALUE: out = nullptr; return true;
    case dom::element_type::BOOL: out = value.get_bool().value_unsafe(); return true;
    case dom::element_type::INT64: {
      // nlohmann keeps a literal without a sign as unsigned; only a negative one is signed.
      const std::int64_t number = value.get_int64().value_unsafe();
      if (number >= 0) {
        out = static_cast<std::uint64_t>(number);
      } else {
        out = number;
      }
      return true;
    }
    case dom::element_type::UINT64: out = value.get_uint64().value_unsafe(); return true;
    case dom::element_type::DOUBLE: {
      const double number = value.get_double().value_unsafe();
      if (number == 0 && std::signbit(number)) return false;
      out = number;
      return true;
    }
    case dom::element_type::STRING: out = std::string(value.get_string().value_unsafe()); return true;
    case dom::element_type::ARRAY: {
      dom::array items;
      if (value.get_array().get(items) != simdjson::SUCCESS) return false;
      out = json::array();
      auto& list = out.get_ref<json::array_t&>();
      list.reserve(items.size());
      for (dom::element item : items) {
        if (!RebuildAsNlohmann(item, list.emplace_back())) return false;
      }
      return true;
    }
    case dom::element_type::OBJECT: {
      dom::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return false;
      out = json::object();
      auto& members = out.get_ref<json::object_t&>();
      for (dom::key_value_pair member : object) {
        auto [slot, inserted] = members.try_emplace(std::string(member.key));
        if (!inserted || !RebuildAsNlohmann(member.value, slot->second)) return false;
      }
      return true;
    }
  }
  return false;
}

// simdjson's working memory is about a dozen times the text (its tape holds 8 bytes per input
// byte), on top of the DOM built from it. The hot bodies (evaluate, /flags, a flag's definition)
// are a few kilobytes; larger ones, rarer and behind an admin key, keep nlohmann's parser.
constexpr std::size_t kMaxRebuiltBodyBytes = 256 * 1024;

}  // namespace

Result<nlohmann::json> ParseJsonBody(std::string_view body) {
  if (body.empty()) {
    return Status::InvalidArgument("the request body is empty; a JSON object is required", "body");
  }
  dom::parser parser;
  dom::element root;
  json rebuilt;
  if (body.size() <= kMaxRebuiltBodyBytes &&
      parser.allocate(body.size(), kMaxBodyDepth) == simdjson::SUCCESS &&
      parser.parse(body.data(), body.size()).get(root) == simdjson::SUCCESS &&
      RebuildAsNlohmann(root, rebuilt)) {
    return rebuilt;
  }
  // Refused, or a case the rebuild leaves to nlohmann: its parser decides and words the error.
  Result<nlohmann::json> parsed = core::ParseBoundedJson(body, kMaxBodyDepth);
  if (!parsed.ok()) return Status::InvalidArgument(parsed.status().message(), "body");
  return parsed;
}

}  // namespace switchyard::server
