// ApiClient: the Switchyard REST API as the CLI sees it -- JSON in, JSON out, errors as Status.
//
// Design: a thin layer over HttpClient that adds `Authorization: Bearer <key>` and turns every
// non-2xx response into a Status built from the server's error envelope
// {"error":{"code","message","field"}}. The HTTP status of the last failed response is kept so
// the one-line error report can show it; it is the only state beyond the connection. The key is never
// part of any message this class produces.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/http_client.h"
#include "switchyard/status.h"

namespace switchyard::cli {

// Status for a non-2xx response: the envelope's code/message/field when the body has one, else a
// code derived from the HTTP status and a message quoting the start of the body.
Status StatusFromErrorResponse(int http_status, std::string_view body);

// The one-line report: "error: <message> (field <f>) [HTTP <status>]", omitting absent parts.
std::string FormatErrorLine(const Status& status, int http_status);

// The --json form of a failure, printed on stderr: {"error":{"code","message","field",
// "http_status"}} with the server's code names; field and http_status only when known.
nlohmann::json ErrorJson(const Status& status, int http_status);

// Percent-encodes everything but RFC 3986 unreserved characters (for path segments and queries).
std::string PercentEncode(std::string_view text);

class ApiClient {
 public:
  ApiClient(std::string base_url, std::string key,
            std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // `target` is a path under the base URL, e.g. "/api/v1/projects". The result is the parsed
  // response body, or null for an empty body (204).
  Result<nlohmann::json> Call(std::string_view method, std::string_view target,
                              const nlohmann::json* body = nullptr);
  Result<nlohmann::json> Get(std::string_view target) { return Call("GET", target); }
  Result<nlohmann::json> Delete(std::string_view target) { return Call("DELETE", target); }
  Result<nlohmann::json> Post(std::string_view target, const nlohmann::json& body) {
    return Call("POST", target, &body);
  }
  Result<nlohmann::json> Put(std::string_view target, const nlohmann::json& body) {
    return Call("PUT", target, &body);
  }
  Result<nlohmann::json> Patch(std::string_view target, const nlohmann::json& body) {
    return Call("PATCH", target, &body);
  }

  // Every page of a list endpoint (`target` may carry filters): follows the server's next_cursor
  // until the last page, and answers `{member: [every item]}`, the shape a list had before it was
  // paged. Internal when a page lacks the `member` array or the server repeats a cursor.
  Result<nlohmann::json> GetList(std::string_view target, const std::string& member);

  // HTTP status of the last call when it failed with a response; 0 after a success or when no
  // response arrived, so an error found locally afterwards is not blamed on the server.
  int last_error_http_status() const { return last_error_http_status_; }
  // The body of the last failed response when it was JSON (null otherwise): for answers that
  // carry more than the error envelope, such as every problem of a flags apply.
  const nlohmann::json& last_error_body() const { return last_error_body_; }
  // True when the last call failed without an HTTP response (bad URL, no server, timeout).
  bool last_call_unanswered() const { return last_call_unanswered_; }

 private:
  HttpClient http_;
  std::string key_;
  int last_error_http_status_ = 0;
  nlohmann::json last_error_body_;
  bool last_call_unanswered_ = false;
};

}  // namespace switchyard::cli
