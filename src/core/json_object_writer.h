// JsonObjectWriter: appends one flat JSON object to a string, member by member, for the few hot
// paths that emit a fixed set of members per request (the gateway's event per call). nlohmann
// builds a std::map node and a string per member and then serialises the map: at 30 members that
// was a tenth of the gateway's CPU per call (docs/PERFORMANCE.md). Values are written as
// nlohmann would write them (strings with invalid UTF-8 replaced, non-finite numbers as null),
// so readers cannot tell the difference; a member nlohmann must serialise (an arbitrary JSON
// value) still goes through it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard::core {

class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::size_t reserve = 256);

  // The caller keeps keys unique (a repeated key would make the object ambiguous).
  void String(std::string_view key, std::string_view value);
  void Bool(std::string_view key, bool value);
  void Int(std::string_view key, std::int64_t value);
  void Number(std::string_view key, double value);  // shortest round-trip form; NaN/inf -> null
  void Value(std::string_view key, const nlohmann::json& value);

  // The object, closed. The writer is empty afterwards.
  std::string Finish();

 private:
  void Key(std::string_view key);

  std::string out_;
};

// True when `text` is written as a JSON string as it is: printable ASCII without '"' or a backslash.
inline bool IsPlainJsonText(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return false;
  }
  return true;
}

// Appends `text` as a JSON string (quotes included), escaping like nlohmann::json::dump with
// error_handler_t::replace (invalid UTF-8 becomes U+FFFD).
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace switchyard::core
