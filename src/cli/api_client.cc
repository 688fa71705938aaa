#include "cli/api_client.h"

#include <cctype>

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxQuotedBody = 200;

StatusCode CodeFromHttpStatus(int http_status) {
  switch (http_status) {
    case 400:
    case 422: return StatusCode::kInvalidArgument;
    case 401: return StatusCode::kUnauthenticated;
    case 403: return StatusCode::kPermissionDenied;
    case 404: return StatusCode::kNotFound;
    case 409: return StatusCode::kConflict;
    case 503: return StatusCode::kUnavailable;
    case 504: return StatusCode::kDeadlineExceeded;
    default: return StatusCode::kInternal;
  }
}

// The envelope's code names a StatusCode (server/http_error.cc uses StatusCodeName); unknown codes
// fall back to the HTTP status so a newer server still maps sensibly.
StatusCode CodeFromName(std::string_view name, int http_status) {
  for (StatusCode code : {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kAlreadyExists,
                          StatusCode::kConflict, StatusCode::kUnauthenticated, StatusCode::kPermissionDenied,
                          StatusCode::kUnavailable, StatusCode::kCorruption, StatusCode::kInternal,
                          StatusCode::kDeadlineExceeded, StatusCode::kCancelled}) {
    if (StatusCodeName(code) == name) return code;
  }
  return CodeFromHttpStatus(http_status);
}

std::string StringMember(const Json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The first line of a non-JSON body (a proxy's HTML page, say), shortened.
std::string QuoteBody(std::string_view body) {
  std::string_view line = body.substr(0, body.find('\n'));
  std::string out(line.substr(0, kMaxQuotedBody));
  if (line.size() > kMaxQuotedBody) out += "...";
  return out;
}

}  // namespace

Status StatusFromErrorResponse(int http_status, std::string_view body) {
  Json parsed = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
    const Json& error = parsed["error"];
    std::string message = StringMember(error, "message");
    std::string code = StringMember(error, "code");
    if (message.empty()) message = code.empty() ? "request failed" : code;
    return Status(CodeFromName(code, http_status), std::move(message), StringMember(error, "field"));
  }
  std::string message = "server answered HTTP " + std::to_string(http_status);
  if (!body.empty()) message += ": " + QuoteBody(body);
  return Status(CodeFromHttpStatus(http_status), std::move(message));
}

std::string FormatErrorLine(const Status& status, int http_status) {
  std::string line = "error: " + status.message();
  if (!status.field().empty()) line += " (field " + status.field() + ")";
  if (http_status > 0) line += " [HTTP " + std::to_string(http_status) + "]";
  // One line, always: a multi-line server message must not break scripts reading stderr.
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

Json ErrorJson(const Status& status, int http_status) {
  Json error{{"code", std::string(StatusCodeName(status.code()))}, {"message", status.message()}};
  if (!status.field().empty()) error["field"] = status.field();
  if (http_status > 0) error["http_status"] = http_status;
  return Json{{"error", std::move(error)}};
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

ApiClient::ApiClient(std::string base_url, std::string key, std::chrono::milliseconds timeout)
    : http_(std::move(base_url), timeout), key_(std::move(key)) {}

Result<Json> ApiClient::Call(std::string_view method, std::string_view target, const Json* body) {
  HttpClient::Headers headers;
  if (!key_.empty()) headers.emplace_back("Authorization", "Bearer " + key_);
  std::string payload = body != nullptr ? body->dump() : std::string();
  last_error_http_status_ = 0;
  last_error_body_ = nullptr;
  Result<HttpResponse> response = http_.Request(method, target, payload, headers);
  last_call_unanswered_ = !response.ok();
  if (!response.ok()) return response.status();
  if (response->status < 200 || response->status >= 300) {
    last_error_http_status_ = response->status;
    last_error_body_ = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (last_error_body_.is_discarded()) last_error_body_ = nullptr;
    return StatusFromErrorResponse(response->status, response->body);
  }
  if (response->body.empty()) return Json();
  Json parsed = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Status::Internal("server sent a response that is not JSON: " + QuoteBody(response->body));
  }
  return parsed;
}

Result<Json> ApiClient::GetList(std::string_view target, const std::string& member) {
  // The largest page the server gives (docs/API.md), so that few lists take a second request.
  const std::string first =
      std::string(target) + (target.find('?') == std::string_view::npos ? "?" : "&") + "limit=1000";
  Json items = Json::array();
  std::string previous_cursor;
  std::string page_target = first;
  while (true) {
    Result<Json> page = Get(page_target);
    if (!page.ok()) return page.status();
    if (!page->is_object() || !page->contains(member) || !(*page)[member].is_array()) {
      return Status::Internal("the server's response has no \"" + member + "\" array");
    }
    for (auto& item : (*page)[member]) items.push_back(std::move(item));
    auto next = page->find("next_cursor");
    if (next == page->end() || !next->is_string()) break;
    if (next->get<std::string>() == previous_cursor) {
      return Status::Internal("the server returned the same next_cursor twice for " + std::string(target));
    }
    previous_cursor = next->get<std::string>();
    page_target = first + "&cursor=" + PercentEncode(previous_cursor);
  }
  return Json{{member, std::move(items)}};
}

}  // namespace switchyard::cli
