// `switchyard serve` that cannot listen fails before it touches the data directory: no SQLite
// file, no bootstrap keys to lose, so the next start on a free port is a real first start.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "support/server_process.h"

namespace switchyard::cli {
namespace {

using testing::CommandResult;
using testing::RunSwitchyard;
using testing::ServerProcess;

class ServeStartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "switchyard-serve-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A data directory that does not exist yet.
  std::string data_dir() const { return dir_ + "/data"; }

  std::string dir_;
};

TEST_F(ServeStartTest, APortInUseFailsClearlyAndCreatesNothing) {
  ServerProcess running;  // holds the port
  const std::string address = "127.0.0.1:" + std::to_string(running.port());
  CommandResult result = RunSwitchyard({"serve", "--listen", address, "--data-dir", data_dir()});
  EXPECT_NE(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.err.find("cannot listen on " + address), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("in use"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("listening"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("key"), std::string::npos) << result.out;  // no bootstrap banner
  EXPECT_FALSE(std::filesystem::exists(data_dir())) << "the failed start created " << data_dir();

  // The same holds for the metrics listener.
  result = RunSwitchyard(
      {"serve", "--listen", "127.0.0.1:0", "--metrics-listen", address, "--data-dir", data_dir()});
  EXPECT_NE(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.err.find("cannot listen on " + address), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(data_dir())) << "the failed start created " << data_dir();
}

TEST_F(ServeStartTest, AFreePortStartsAndCreatesTheStore) {
  // The counterpart of the test above: the same command on a free port does create the store.
  testing::ServerOptions options;
  options.data_dir = data_dir();
  ServerProcess server(options);
  EXPECT_TRUE(std::filesystem::exists(data_dir() + "/switchyard.db"));
}

}  // namespace
}  // namespace switchyard::cli
