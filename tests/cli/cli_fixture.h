// CliTest: a fresh server per test and helpers that run the real `switchyard` binary against it,
// exactly as a user or script would, asserting on stdout, stderr and the exit code.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/server_process.h"

namespace switchyard::cli {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<testing::ServerProcess>();
    std::string tmpl = (std::filesystem::temp_directory_path() / "switchyard-cli-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }

  void TearDown() override {
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  testing::CommandResult Run(const std::vector<std::string>& args,
                             const std::string& key = testing::kTestAdminKey) {
    return testing::RunSwitchyard(args, {{"SWITCHYARD_URL", server_->base_url()}, {"SWITCHYARD_KEY", key}});
  }

  // Runs a command that must succeed.
  std::string Ok(const std::vector<std::string>& args) {
    testing::CommandResult result = Run(args);
    EXPECT_EQ(result.exit_code, 0) << Describe(args, result);
    EXPECT_EQ(result.err, "") << Describe(args, result);
    return result.out;
  }

  nlohmann::json OkJson(std::vector<std::string> args) {
    args.push_back("--json");
    std::string out = Ok(args);
    nlohmann::json parsed = nlohmann::json::parse(out, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << out;
    return parsed;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static std::string Describe(const std::vector<std::string>& args, const testing::CommandResult& result) {
    std::string line = "switchyard";
    for (const auto& arg : args) line += " " + arg;
    return line + "\n--- exit " + std::to_string(result.exit_code) + "\n--- stdout\n" + result.out +
           "--- stderr\n" + result.err;
  }

  std::unique_ptr<testing::ServerProcess> server_;
  std::string dir_;
};

inline std::string CellId(const nlohmann::json& id) {
  return id.is_string() ? id.get<std::string>() : id.dump();
}

// A failure is reported as exactly one line on stderr starting with "error: ".
inline void ExpectOneLineError(const testing::CommandResult& result, int exit_code,
                               const std::string& needle) {
  EXPECT_EQ(result.exit_code, exit_code) << result.out << result.err;
  EXPECT_EQ(result.err.rfind("error: ", 0), 0u) << result.err;
  ASSERT_FALSE(result.err.empty());
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;
  EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
}

}  // namespace switchyard::cli
