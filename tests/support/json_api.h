// SendRequest / SendJson: one request to the server under test, as the integration tests make them.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "support/server_process.h"

namespace switchyard::testing {

struct JsonAnswer {
  int status = 0;
  nlohmann::json body;  // null for an empty body; discarded when it is not JSON
};

// Sends `body` as it is, with `key` as the Bearer token (none when empty). A transport failure
// throws: the server a test started must answer.
inline cli::HttpResponse SendRequest(cli::HttpClient& client, const std::string& method,
                                     const std::string& target, const std::string& body = "",
                                     const std::string& key = kTestAdminKey,
                                     cli::HttpClient::Headers headers = {}) {
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
  auto response = client.Request(method, target, body, headers);
  if (!response.ok()) throw std::runtime_error(response.status().ToString());
  return *response;
}

// Sends `body` (null: no body) with `key` as the Bearer token. A transport failure throws: the
// server a test started must answer.
inline JsonAnswer SendJson(cli::HttpClient& client, const std::string& method, const std::string& target,
                           const nlohmann::json& body = nlohmann::json(),
                           const std::string& key = kTestAdminKey) {
  auto response = client.Request(method, target, body.is_null() ? "" : body.dump(),
                                 {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}});
  if (!response.ok()) throw std::runtime_error(response.status().ToString());
  JsonAnswer answer{response->status, nlohmann::json()};
  if (!response->body.empty()) answer.body = nlohmann::json::parse(response->body, nullptr, false);
  return answer;
}

}  // namespace switchyard::testing
