#include "cli/table_printer.h"

#include <gtest/gtest.h>

#include "cli/audit_command.h"
#include "cli/flag_format.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

TEST(TableTest, PadsColumnsToTheWidestCellUnderAnUpperCaseHeader) {
  Table table({"key", "active", "name"});
  table.AddRow({"a", "yes", "First"});
  table.AddRow({"longer-key", "no", "Second"});
  EXPECT_EQ(table.Render(),
            "KEY         ACTIVE  NAME\n"
            "a           yes     First\n"
            "longer-key  no      Second\n");
}

TEST(TableTest, NoTrailingWhitespaceWhenLastCellsAreEmpty) {
  Table table({"a", "b", "c"});
  table.AddRow({"x", "", ""});
  table.AddRow({"y"});  // short rows are padded
  EXPECT_EQ(table.Render(), "A  B  C\nx\ny\n");
}

TEST(TableTest, CountsUtf8CodePointsAndFlattensNewlines) {
  Table table({"name", "n"});
  table.AddRow({"ünï", "1"});
  table.AddRow({"two\nlines", "2"});
  EXPECT_EQ(table.Render(),
            "NAME       N\n"
            "ünï        1\n"
            "two lines  2\n");
  EXPECT_EQ(DisplayWidth("ünï"), 3u);
}

TEST(TableTest, HeaderOnlyWhenEmpty) {
  Table table({"key"});
  EXPECT_EQ(table.Render(), "KEY\n");
  EXPECT_EQ(table.row_count(), 0u);
}

TEST(FlagFormatTest, FormatsPercentages) {
  EXPECT_EQ(FormatPercent(50), "50%");
  EXPECT_EQ(FormatPercent(50.0), "50%");
  EXPECT_EQ(FormatPercent(12.5), "12.5%");
  EXPECT_EQ(FormatPercent(0), "0%");
}

TEST(FlagFormatTest, SummarisesRollout) {
  auto flag = [](const char* groups) { return Json{{"filters", {{"groups", Json::parse(groups)}}}}; };
  EXPECT_EQ(RolloutSummary(flag(R"([{"rollout_percentage": 50.0}])")), "50%");
  EXPECT_EQ(RolloutSummary(flag(R"([{"rollout_percentage": null}])")), "100%");
  EXPECT_EQ(RolloutSummary(flag(R"([{}])")), "100%");
  EXPECT_EQ(RolloutSummary(flag(R"([{"rollout_percentage": 10}, {"rollout_percentage": 20}])")), "2 groups");
  EXPECT_EQ(RolloutSummary(flag("[]")), "0 groups");
  EXPECT_EQ(RolloutSummary(Json::object()), "0 groups");
}

TEST(FlagFormatTest, RendersTheFlagsTable) {
  Json flags = Json::parse(R"([
    {"key": "checkout", "active": true, "version": 3, "tags": ["web", "pay"], "name": "New checkout",
     "filters": {"groups": [{"rollout_percentage": 25}], "multivariate": null}},
    {"key": "color", "active": false, "version": 1, "tags": [], "name": "",
     "filters": {"groups": [{}, {}], "multivariate": {"variants": [{"key": "a", "rollout_percentage": 100}]}}}
  ])");
  EXPECT_EQ(RenderFlagsTable(flags),
            "KEY       ACTIVE  TYPE          ROLLOUT   VERSION  TAGS     NAME\n"
            "checkout  yes     boolean       25%       3        web,pay  New checkout\n"
            "color     no      multivariate  2 groups  1\n");
}

TEST(FlagFormatTest, RendersDetailsWithFiltersAsJson) {
  Json flag = Json::parse(R"({"key": "k", "name": "N", "description": "", "active": true, "version": 2,
                              "tags": ["t"], "filters": {"groups": []}, "updated_by": "admin"})");
  EXPECT_EQ(RenderFlagDetails(flag),
            "key:         k\n"
            "name:        N\n"
            "description:\n"
            "active:      yes\n"
            "type:        boolean\n"
            "rollout:     0 groups\n"
            "tags:        t\n"
            "version:     2\n"
            "updated_by:  admin\n"
            "filters:\n"
            "{\n  \"groups\": []\n}\n");
}

TEST(AuditTableTest, ShowsEntityAfterVersionAndChanges) {
  Json entries = Json::parse(R"([
    {"id": 3, "at": "2024-01-03T00:00:00Z", "actor": "admin", "action": "flag.update",
     "entity_type": "flag", "entity_key": "k", "before": {"version": 2, "active": true, "name": "a"},
     "after": {"version": 3, "active": false, "name": "b"}},
    {"id": 2, "at": "2024-01-02T00:00:00Z", "actor": "admin", "action": "flag.update",
     "entity_type": "flag", "entity_key": "k", "before": {"version": 1}, "after": {"version": 2}},
    {"id": 1, "at": "2024-01-01T00:00:00Z", "actor": "admin", "action": "flag.delete",
     "entity_type": "flag", "entity_key": "old", "before": {"version": 4}, "after": null}
  ])");
  EXPECT_EQ(RenderAuditTable(entries),
            "AT                    ACTOR  ACTION       ENTITY    VERSION  CHANGES\n"
            "2024-01-03T00:00:00Z  admin  flag.update  flag k    3        disabled; name \"a\" → \"b\"\n"
            "2024-01-02T00:00:00Z  admin  flag.update  flag k    2\n"
            "2024-01-01T00:00:00Z  admin  flag.delete  flag old           deleted\n");
}

TEST(AuditTableTest, NextPageCommandRepeatsTheFilters) {
  GlobalOptions global;
  EXPECT_EQ(NextAuditPage(global, "", 50, 12), "switchyard audit --before 12");
  EXPECT_EQ(NextAuditPage(global, "checkout", 10, 7),
            "switchyard audit --before 7 --flag checkout --limit 10");
}

}  // namespace
}  // namespace switchyard::cli
