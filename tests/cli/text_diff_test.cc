#include "cli/text_diff.h"

#include <gtest/gtest.h>

namespace switchyard::cli {
namespace {

TEST(LineDiffTest, EqualTextsHaveNoDiff) {
  EXPECT_EQ(LineDiff("a\nb\n", "a\nb\n"), "");
}

TEST(LineDiffTest, AChangedLineIsARemovalThenAnAddition) {
  EXPECT_EQ(LineDiff("{\n  \"active\": false,\n  \"x\": 1\n}", "{\n  \"active\": true,\n  \"x\": 1\n}"),
            " {\n-  \"active\": false,\n+  \"active\": true,\n   \"x\": 1\n }\n");
}

TEST(LineDiffTest, InsertionsAndDeletionsKeepTheCommonLines) {
  EXPECT_EQ(LineDiff("a\nb\nc\n", "a\nc\nd\n"), " a\n-b\n c\n+d\n");
  EXPECT_EQ(LineDiff("", "x\n"), "+x\n");
  EXPECT_EQ(LineDiff("x\ny\n", ""), "-x\n-y\n");
}

}  // namespace
}  // namespace switchyard::cli
