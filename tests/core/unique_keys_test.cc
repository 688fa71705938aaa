#include "core/unique_keys.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::core {
namespace {

bool Unique(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(text.data(), text.size()).get(root), simdjson::SUCCESS) << text;
  std::vector<std::string_view> scratch;
  return KeysAreUnique(root, scratch);
}

TEST(UniqueKeysTest, FindsARepeatAtAnyDepth) {
  EXPECT_TRUE(Unique(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})"));  // one key in separate objects
  EXPECT_FALSE(Unique(R"({"a":1,"a":2})"));
  EXPECT_FALSE(Unique(R"({"x":[{"k":1},{"k":1,"j":2,"k":3}]})"));
  // Keys compare unescaped: two spellings of one key are a repeat.
  EXPECT_FALSE(Unique(R"({"model":1,"mo\u0064el":2})"));
  EXPECT_TRUE(Unique(R"([1,"a",null])"));
}

// Small objects are checked pair by pair and large ones sorted: both find a repeat anywhere,
// at every size on either side of the switch.
TEST(UniqueKeysTest, FindsARepeatInObjectsOfEverySize) {
  for (int keys = 1; keys <= 40; ++keys) {
    std::string unique = "{";
    for (int k = 0; k < keys; ++k)
      unique += (k == 0 ? "\"k" : ",\"k") + std::to_string(k) + "\":" + std::to_string(k);
    EXPECT_TRUE(Unique(unique + "}")) << keys;
    for (int repeat = 0; repeat < keys; ++repeat) {
      EXPECT_FALSE(Unique(unique + ",\"k" + std::to_string(repeat) + "\":0}")) << keys << " " << repeat;
    }
  }
}

TEST(UniqueKeysTest, LeavesTheScratchAsItFoundIt) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  const std::string text = R"({"a":{"b":1,"c":2},"d":3})";
  ASSERT_EQ(parser.parse(text).get(root), simdjson::SUCCESS);
  std::vector<std::string_view> scratch{"kept"};
  EXPECT_TRUE(KeysAreUnique(root, scratch));
  EXPECT_EQ(scratch, std::vector<std::string_view>{"kept"});
}

}  // namespace
}  // namespace switchyard::core
