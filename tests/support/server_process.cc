#include "support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace switchyard::testing {
namespace {

std::vector<std::string> MergedEnvironment(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(0, eq);
    // The test decides what the child sees of Switchyard's own configuration.
    if (name.rfind("SWITCHYARD_", 0) == 0) continue;
    env[name] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t Spawn(std::vector<std::string> argv, std::vector<std::string> env, int stdin_fd, int stdout_fd,
            int stderr_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
  auto c_argv = CStrings(argv);
  auto c_env = CStrings(env);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed for " + argv[0]);
  return pid;
}

std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "switchyard-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

std::string SwitchyardBinary() {
  return SY_SWITCHYARD_BINARY;
}

ServerProcess::ServerProcess(ServerOptions options) {
  data_dir_ = options.data_dir;
  if (data_dir_.empty()) {
    data_dir_ = MakeTempDir();
    owns_data_dir_ = true;
  }
  std::vector<std::string> argv = {SwitchyardBinary(), "serve",      "--listen",
                                   "127.0.0.1:0",      "--data-dir", data_dir_};
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  auto env = options.env;
  if (options.fixed_keys) {
    env.emplace("SWITCHYARD_ADMIN_KEY", kTestAdminKey);
    env.emplace("SWITCHYARD_PROJECT_KEY", kTestProjectKey);
  }
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  int devnull = open("/dev/null", O_RDONLY);
  pid_ = Spawn(argv, MergedEnvironment(env), devnull, pipe_fds[1], pipe_fds[1]);
  close(devnull);
  close(pipe_fds[1]);
  out_fd_ = pipe_fds[0];
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);

  static const std::regex kListening(R"(listening on http://[0-9.]+:([0-9]+))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    ReadAvailable(100);
    std::smatch m;
    if (std::regex_search(output_, m, kListening)) {
      port_ = std::stoi(m[1]);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("switchyard exited before listening:\n" + output_);
    }
  }
  Stop();
  throw std::runtime_error("switchyard did not start listening within 20 s:\n" + output_);
}

ServerProcess::~ServerProcess() {
  Stop();
  if (out_fd_ >= 0) close(out_fd_);
  if (owns_data_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
}

void ServerProcess::ReadAvailable(int timeout_ms) {
  if (out_fd_ < 0) return;
  pollfd pfd{out_fd_, POLLIN, 0};
  if (poll(&pfd, 1, timeout_ms) <= 0) return;
  char buf[4096];
  ssize_t n;
  while ((n = read(out_fd_, buf, sizeof buf)) > 0) output_.append(buf, static_cast<size_t>(n));
}

std::string ServerProcess::output() {
  ReadAvailable(0);
  return output_;
}

int ServerProcess::Stop() {
  if (pid_ < 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    ReadAvailable(50);
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
  }
  pid_ = -1;
  ReadAvailable(0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::Kill() {
  if (pid_ < 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  ReadAvailable(0);
}

CommandResult RunSwitchyard(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env, const std::string& stdin_data) {
  std::vector<std::string> argv = {SwitchyardBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
    throw std::runtime_error("pipe failed");
  pid_t pid = Spawn(argv, MergedEnvironment(env), in_pipe[0], out_pipe[1], err_pipe[1]);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (!stdin_data.empty()) {
    ssize_t ignored = write(in_pipe[1], stdin_data.data(), stdin_data.size());
    (void)ignored;
  }
  close(in_pipe[1]);
  CommandResult result;
  // stderr is small in practice; read stdout fully first, then stderr.
  std::thread err_reader([&] { result.err = ReadAll(err_pipe[0]); });
  result.out = ReadAll(out_pipe[0]);
  err_reader.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace switchyard::testing
