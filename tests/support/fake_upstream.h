// FakeUpstream: an OpenAI-compatible HTTP server for tests and benchmarks, on 127.0.0.1 and an
// ephemeral port, served by its own threads. What it does is chosen per request by the `model`
// field (fake_openai_responses.h), so one instance serves every scenario. It records what it
// received, so tests can check what reached the upstream (the model rewrite, that no secret leaked).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace switchyard::testing {

struct FakeUpstreamOptions {
  std::uint16_t port = 0;  // 0: ephemeral
  int threads = 1;
  std::string tls_cert_pem;  // both set: HTTPS
  std::string tls_key_pem;
  std::size_t max_recorded = 10000;  // the most recent requests kept for Received(); 0: none
};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::uint64_t connection = 0;  // which connection (1, 2, ... in accept order) carried it

  std::string Header(const std::string& lower_case_name) const;
};

class FakeUpstream {
 public:
  explicit FakeUpstream(FakeUpstreamOptions options = {});  // listening and serving on return
  ~FakeUpstream();
  FakeUpstream(const FakeUpstream&) = delete;
  FakeUpstream& operator=(const FakeUpstream&) = delete;

  int port() const;
  std::string base_url() const;  // http(s)://127.0.0.1:<port>

  std::vector<ReceivedRequest> Received() const;
  std::size_t requests() const;              // all requests so far
  std::size_t connections_accepted() const;  // all connections so far
  std::size_t connections_open() const;      // connections not yet closed (by either side)

  struct Impl;  // the server's state, defined in fake_upstream.cc (public for its helpers there)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::testing
