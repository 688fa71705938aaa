// ServerProcess: runs the real `switchyard serve` binary on 127.0.0.1:0 for integration tests.
//
// The server prints "switchyard listening on http://HOST:PORT" once it accepts connections; the
// constructor waits for that line (up to 20 s) and exposes the port. The destructor sends SIGTERM
// and waits, so every test leaves no process behind. Not thread-safe; one owner.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace switchyard::testing {

inline constexpr char kTestAdminKey[] = "sy_admin_test_0123456789abcdef0123456789abcdef";
inline constexpr char kTestProjectKey[] = "sy_proj_test_0123456789abcdef0123456789abcdef";

struct ServerOptions {
  std::vector<std::string> extra_args;     // appended after `serve --listen 127.0.0.1:0`
  std::map<std::string, std::string> env;  // added to the environment
  std::string data_dir;                    // empty: a fresh temporary directory
  bool fixed_keys = true;                  // set SWITCHYARD_ADMIN_KEY / _PROJECT_KEY to the test keys
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  // Everything the server wrote to stdout+stderr so far (for asserting that no secret is logged).
  std::string output();
  // Sends SIGTERM and waits; returns the exit status (as from waitpid's WEXITSTATUS, or -1).
  int Stop();
  // Sends SIGKILL and waits: the process gets no chance to flush or close anything (crash tests).
  void Kill();

 private:
  void ReadAvailable(int timeout_ms);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  std::string data_dir_;
  bool owns_data_dir_ = false;
  std::string output_;
};

// Path of the built `switchyard` binary (compiled in by CMake).
std::string SwitchyardBinary();

// Runs the binary with `args` to completion; returns exit code and captured stdout / stderr.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult RunSwitchyard(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env = {},
                            const std::string& stdin_data = {});

}  // namespace switchyard::testing
