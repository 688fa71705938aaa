// sy_fake_upstream: FakeUpstream as a process, for the node client tests and the gateway
// benchmark. Prints the port it listens on (--print-port) and serves until SIGINT or SIGTERM.
#include <signal.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "support/fake_upstream.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Fake OpenAI-compatible upstream (the request's model picks the behaviour)"};
  int port = 0;
  int threads = 1;
  bool print_port = false;
  std::string cert_file, key_file;
  app.add_option("--port", port, "port on 127.0.0.1 (0: any free one)")->check(CLI::Range(0, 65535));
  app.add_flag("--print-port", print_port, "print the port on stdout once listening");
  app.add_option("--threads", threads, "serving threads")->check(CLI::Range(1, 64));
  app.add_option("--tls-cert", cert_file, "certificate chain (PEM): serve HTTPS")->check(CLI::ExistingFile);
  app.add_option("--tls-key", key_file, "private key (PEM)")->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (cert_file.empty() != key_file.empty()) {
    std::cerr << "error: --tls-cert and --tls-key go together\n";
    return 2;
  }

  // Blocked before the serving threads start, so only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    switchyard::testing::FakeUpstreamOptions options;
    options.port = static_cast<std::uint16_t>(port);
    options.threads = threads;
    // Nothing outside this process can read what it received, and recording would make the
    // benchmarks' upstream dearer on the cores it shares with the server.
    options.max_recorded = 0;
    if (!cert_file.empty()) {
      options.tls_cert_pem = ReadFile(cert_file);
      options.tls_key_pem = ReadFile(key_file);
    }
    switchyard::testing::FakeUpstream upstream(options);
    if (print_port) std::cout << upstream.port() << std::endl;
    int received = 0;
    sigwait(&signals, &received);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
