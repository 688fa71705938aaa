// JsonObjectWriter: appends one flat JSON object (scalars, arrays of strings) to a string, for hot
// paths that emit a fixed set of members per request (the gateway's event per call). nlohmann
// builds a std::map node and a string per member and then serialises the map: at 30 members that
// was a tenth of the gateway's CPU per call (docs/PERFORMANCE.md). Values are written as
// nlohmann would write them (strings with invalid UTF-8 replaced, non-finite numbers as null),
// so readers cannot tell the difference; a member nlohmann must serialise (an arbitrary JSON
// value) still goes through it.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard::core {

// Appends `text` as a JSON string (quotes included), escaping like nlohmann::json::dump with
// error_handler_t::replace (invalid UTF-8 becomes U+FFFD).
void AppendJsonString(std::string& out, std::string_view text);

class JsonObjectWriter {
 public:
  explicit JsonObjectWriter(std::size_t reserve = 256);

  // The caller keeps keys unique (a repeated key would make the object ambiguous).
  void String(std::string_view key, std::string_view value);
  void Bool(std::string_view key, bool value);
  void Int(std::string_view key, std::int64_t value);
  void Number(std::string_view key, double value);  // shortest round-trip form; NaN/inf -> null
  void Value(std::string_view key, const nlohmann::json& value);
  // An array of strings, `text(item)` for each of `items`.
  template <typename Range, typename Text>
  void StringArray(std::string_view key, const Range& items, Text text) {
    Key(key);
    out_ += '[';
    bool first = true;
    for (const auto& item : items) {
      if (!first) out_ += ',';
      first = false;
      AppendJsonString(out_, text(item));
    }
    out_ += ']';
  }

  // The object, closed. The writer is empty afterwards.
  std::string Finish();

 private:
  void Key(std::string_view key);

  std::string out_;
};

// True when `text` is written as a JSON string as it is: printable ASCII without '"' or a backslash.
// Eight bytes at a time, by the classic bit tricks for "has a byte less than n" and "has a zero
// byte" (exact for the word as a whole): every key and value of an event or an answer passes
// through here, and a byte at a time was ~7 k instructions of a gateway call.
inline bool IsPlainJsonText(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + at, sizeof word);
    const std::uint64_t quote = word ^ (0x22 * kOnes);      // a zero byte where word has '"'
    const std::uint64_t backslash = word ^ (0x5C * kOnes);  // a zero byte where word has '\\'
    const std::uint64_t control = (word - 0x20 * kOnes) & ~word;
    const std::uint64_t quotes = (quote - kOnes) & ~quote;
    const std::uint64_t backslashes = (backslash - kOnes) & ~backslash;
    if (((control | quotes | backslashes | word) & kHighs) != 0) return false;
  }
  for (; at < text.size(); ++at) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return false;
  }
  return true;
}

}  // namespace switchyard::core
