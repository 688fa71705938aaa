#include "core/json_object_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchyard::core {
namespace {

bool PlainByteAtATime(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return false;
  }
  return true;
}

TEST(JsonObjectWriterTest, PlainTextCheckAgreesWithAByteAtATimeForEveryByteAtEveryPlace) {
  // Lengths around the 8-byte words, each byte value at each place among plain neighbours (and
  // next to a byte that borrows, 0x00, or one just above a limit, 0x21 / 0x5D).
  for (std::size_t length = 1; length <= 20; ++length) {
    for (char filler : {'a', '\x21', '\x5D', '~'}) {
      for (std::size_t place = 0; place < length; ++place) {
        for (int value = 0; value < 256; ++value) {
          std::string text(length, filler);
          text[place] = static_cast<char>(value);
          ASSERT_EQ(IsPlainJsonText(text), PlainByteAtATime(text))
              << "length " << length << ", byte " << value << " at " << place << ", filler " << int(filler);
        }
      }
    }
  }
  EXPECT_TRUE(IsPlainJsonText(""));
}

TEST(JsonObjectWriterTest, WritesWhatNlohmannWouldDump) {
  JsonObjectWriter out;
  out.String("plain key of some length", "a \"quoted\" value with a \\ and a tab\t, caf\xc3\xa9, bad \xff");
  out.Int("n", -3);
  out.Bool("b", true);
  const std::vector<std::string> items{"x", "with \"quote\"", ""};
  out.StringArray("items", items, [](const std::string& item) -> std::string_view { return item; });
  out.StringArray("none", std::vector<std::string>{},
                  [](const std::string& item) -> std::string_view { return item; });
  const std::string written = out.Finish();
  nlohmann::json expected = nlohmann::json::object();
  expected["plain key of some length"] =
      "a \"quoted\" value with a \\ and a tab\t, caf\xc3\xa9, bad \xef\xbf\xbd";
  expected["n"] = -3;
  expected["b"] = true;
  expected["items"] = {"x", "with \"quote\"", ""};
  expected["none"] = nlohmann::json::array();
  EXPECT_EQ(nlohmann::json::parse(written), expected);
}

}  // namespace
}  // namespace switchyard::core
