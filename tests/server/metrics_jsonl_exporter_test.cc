// MetricsJsonlExporter: one parseable line per Append with a timestamp and the snapshot, appended
// to what the file held, and rotated to "<path>.1" so the file stays under its cap.
#include "server/metrics_jsonl_exporter.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace switchyard::server {
namespace {

using nlohmann::json;

class MetricsJsonlExporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "switchyard-jsonl-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/metrics.jsonl";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static std::vector<json> Lines(const std::string& path) {
    std::ifstream in(path);
    std::vector<json> lines;
    std::string line;
    while (std::getline(in, line)) lines.push_back(json::parse(line));
    return lines;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(MetricsJsonlExporterTest, AppendsOneLinePerCallWithATimestamp) {
  int calls = 0;
  {
    std::ofstream(path_) << R"({"earlier":true})"
                         << "\n";  // a previous run's line is kept
  }
  MetricsJsonlExporter exporter({path_}, [&calls] {
    return json{{"series", json::array()}, {"n", ++calls}};
  });
  ASSERT_TRUE(exporter.Open().ok());
  ASSERT_TRUE(exporter.Append().ok());
  ASSERT_TRUE(exporter.Append().ok());
  const auto lines = Lines(path_);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], (json{{"earlier", true}}));
  for (int i = 1; i <= 2; ++i) {
    EXPECT_EQ(lines[i]["n"], i);
    EXPECT_TRUE(lines[i]["series"].is_array());
    // RFC 3339, UTC, milliseconds: "2026-11-21T10:00:00.000Z".
    const std::string timestamp = lines[i]["timestamp"];
    EXPECT_EQ(timestamp.size(), 24u) << timestamp;
    EXPECT_EQ(timestamp.back(), 'Z');
  }
}

TEST_F(MetricsJsonlExporterTest, RotatesBeforeTheFileWouldPassItsCap) {
  const std::string padding(100, 'x');
  MetricsJsonlExporter exporter({path_, 1000}, [&padding] { return json{{"pad", padding}}; });
  ASSERT_TRUE(exporter.Open().ok());
  for (int i = 0; i < 25; ++i) ASSERT_TRUE(exporter.Append().ok());
  // Each line is ~150 bytes: 6 fit in 1000. 25 lines = 4 full files (the first 3 rotated away)
  // + 1 line in the current one.
  EXPECT_LE(std::filesystem::file_size(path_), 1000u);
  EXPECT_LE(std::filesystem::file_size(path_ + ".1"), 1000u);
  EXPECT_EQ(Lines(path_ + ".1").size(), 6u);
  EXPECT_EQ(Lines(path_).size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".2"));
}

TEST_F(MetricsJsonlExporterTest, APathThatCannotBeWrittenFailsAtOpen) {
  MetricsJsonlExporter exporter({dir_ + "/missing/metrics.jsonl"}, [] { return json::object(); });
  Status opened = exporter.Open();
  EXPECT_FALSE(opened.ok());
  EXPECT_NE(opened.message().find("missing/metrics.jsonl"), std::string::npos) << opened.message();
}

}  // namespace
}  // namespace switchyard::server
