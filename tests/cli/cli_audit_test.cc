// `switchyard audit` end to end: rows that say what changed, and paging with --before.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

// The words of a command line printed by the CLI ("switchyard audit --before 3" -> args).
std::vector<std::string> ArgsOf(const std::string& command) {
  std::istringstream words(command);
  std::vector<std::string> args;
  std::string word;
  while (words >> word) args.push_back(word);
  EXPECT_EQ(args.empty() ? "" : args.front(), "switchyard") << command;
  if (!args.empty()) args.erase(args.begin());
  return args;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(CliTest, AuditRowsSayWhatChanged) {
  Ok({"flags", "create", "checkout", "--rollout", "25"});
  Ok({"flags", "rollout", "checkout", "50"});
  Ok({"flags", "disable", "checkout"});
  Ok({"flags", "enable", "checkout"});
  Ok({"flags", "update", "checkout", "--name", "New checkout", "--tag", "web"});
  Ok({"flags", "create", "color", "--variant", "control=50", "--variant", "test=50"});
  Ok({"flags", "update", "color", "--variant", "control=70", "--variant", "test=30", "--payload", "test=1"});
  Ok({"flags", "delete", "color"});

  std::vector<std::string> rows = Lines(Ok({"audit", "--flag", "checkout"}));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_NE(rows[0].find("CHANGES"), std::string::npos) << rows[0];
  auto ends_with = [](const std::string& row, const std::string& tail) {
    return row.size() >= tail.size() && row.compare(row.size() - tail.size(), tail.size(), tail) == 0;
  };
  EXPECT_TRUE(ends_with(rows[1], R"(name "" → "New checkout"; tags none → web)")) << rows[1];
  EXPECT_TRUE(ends_with(rows[2], "  enabled")) << rows[2];
  EXPECT_TRUE(ends_with(rows[3], "  disabled")) << rows[3];
  EXPECT_TRUE(ends_with(rows[4], "  rollout 25 → 50 %")) << rows[4];
  EXPECT_TRUE(ends_with(rows[5], "  created")) << rows[5];

  Json color = OkJson({"audit", "--flag", "color"});
  ASSERT_EQ(color["entries"].size(), 3u);
  EXPECT_EQ(color["entries"][0]["changes"], Json::parse(R"(["deleted"])"));
  EXPECT_EQ(color["entries"][1]["changes"],
            Json::parse(R"(["variant split control 50 → 70, test 50 → 30 %", "payload test set"])"));
  EXPECT_EQ(color["entries"][2]["changes"], Json::parse(R"(["created"])"));
  EXPECT_TRUE(color["next_page"].is_null());
}

TEST_F(CliTest, AuditPagesBackwardsWithBefore) {
  Ok({"flags", "create", "paged"});
  for (const char* percent : {"10", "20", "30", "40"}) Ok({"flags", "rollout", "paged", percent});
  Json all = OkJson({"audit", "--flag", "paged"})["entries"];
  ASSERT_EQ(all.size(), 5u);

  // Follow the "next page" line of the table until there is none.
  std::vector<std::string> args = {"audit", "--flag", "paged", "--limit", "2"};
  std::vector<std::string> rows;
  for (int page = 0; page < 5; ++page) {
    std::vector<std::string> lines = Lines(Ok(args));
    ASSERT_FALSE(lines.empty());
    std::string last = lines.back();
    bool more = last.rfind("next page: ", 0) == 0;
    if (more) lines.pop_back();
    rows.insert(rows.end(), lines.begin() + 1, lines.end());
    if (!more) break;
    args = ArgsOf(last.substr(std::string("next page: ").size()));
  }
  ASSERT_EQ(rows.size(), all.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].rfind(all[i]["at"].get<std::string>(), 0), 0u) << rows[i];
  }
  EXPECT_NE(rows[0].find("rollout 30 → 40 %"), std::string::npos) << rows[0];
  EXPECT_NE(rows[4].find("created"), std::string::npos) << rows[4];

  // The JSON page says the same: next_before and the command for the next page.
  Json first = OkJson({"audit", "--flag", "paged", "--limit", "2"});
  EXPECT_EQ(first["next_before"], all[1]["id"]);
  EXPECT_EQ(first["next_page"],
            "switchyard audit --before " + all[1]["id"].dump() + " --flag paged --limit 2");
  Json second = OkJson(ArgsOf(first["next_page"].get<std::string>()));
  ASSERT_EQ(second["entries"].size(), 2u);
  EXPECT_EQ(second["entries"][0]["id"], all[2]["id"]);

  ExpectOneLineError(Run({"audit", "--before", "0"}), 2, "--before");
}

}  // namespace
}  // namespace switchyard::cli
