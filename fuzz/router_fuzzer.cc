// The router with arbitrary requests: matching, authentication, content checks and every
// handler, over a fresh MemoryStore-backed server per input (so a crash reproduces from its
// input alone). Any answer is fine; a crash, a sanitizer report or an escaping exception is not.
//
// Input: requests separated by a line "%%". Each is "METHOD TARGET", then "name: value" header
// lines, an empty line, and the body. The bootstrap keys below are what seeds authenticate with.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "server/api_routes.h"
#include "server/bootstrap.h"
#include "server/router.h"
#include "server/server_metrics.h"
#include "store/memory_store.h"

namespace {

using namespace switchyard;
using namespace switchyard::server;

constexpr char kAdminKey[] = "sy_admin_fuzz_0123456789abcdefghijklmnop";
constexpr char kProjectKey[] = "sy_proj_fuzz_0123456789abcdefghijklmnop";

// The one place that calls into the router: when handlers become coroutines, only this changes.
Response Dispatch(const Router& router, const Request& request) {
  return router.Handle(request);
}

std::string_view NextLine(std::string_view& text) {
  const std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

Request DecodeRequest(std::string_view text) {
  Request request;
  std::string_view first = NextLine(text);
  const std::size_t space = first.find(' ');
  request.method = std::string(first.substr(0, space));
  request.target = space == std::string_view::npos ? "/" : std::string(first.substr(space + 1));
  ParseTarget(request.target, &request.path, &request.query);
  for (std::string_view line = NextLine(text); !line.empty(); line = NextLine(text)) {
    const std::size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace_back(std::move(name), std::string(value));
  }
  request.body = std::string(text);
  return request;
}

// Everything a running server holds, minus the sockets.
struct Server {
  Server()
      : store(store::NewMemoryStore()),
        flags(*store, snapshots),
        context{*store, keys, snapshots, flags, metrics},
        router(keys) {
    ServerConfig config;
    config.admin_key = kAdminKey;
    config.project_key = kProjectKey;
    if (!BootstrapIfEmpty(*store, config).ok() || !keys.Reload(*store).ok() ||
        !snapshots.ReloadAll(*store).ok()) {
      __builtin_trap();  // the harness itself is broken: every input would be meaningless
    }
    RegisterApiRoutes(router, context);
  }
  std::unique_ptr<store::Store> store;
  KeyRing keys;
  FlagSnapshots snapshots;
  FlagService flags;
  ServerMetrics metrics;
  ServerContext context;
  Router router;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Server server;
  constexpr std::string_view kSeparator = "\n%%\n";
  while (true) {
    const std::size_t end = input.find(kSeparator);
    (void)Dispatch(server.router, DecodeRequest(input.substr(0, end)));
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + kSeparator.size());
  }
  return 0;
}
