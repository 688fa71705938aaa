#include "server/api_error.h"

namespace switchyard::server {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 422;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kConflict: return 409;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kCorruption: return 500;
    case StatusCode::kInternal: return 500;
    case StatusCode::kDeadlineExceeded: return 504;
    case StatusCode::kCancelled: return 499;  // nobody reads it; logs and metrics do
  }
  return 500;
}

Response ErrorResponse(const Status& status) {
  Response response = ErrorResponse(HttpStatusFor(status.code()), StatusCodeName(status.code()),
                                    status.message(), status.field());
  if (status.code() == StatusCode::kUnavailable) response.headers.emplace_back("Retry-After", "1");
  if (status.code() == StatusCode::kUnauthenticated)
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

Response ErrorResponse(int http_status, std::string_view code, std::string_view message,
                       std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  Response response;
  response.status = http_status;
  // Invalid UTF-8 echoed from input must not turn an error into an exception.
  response.body =
      nlohmann::json{{"error", error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response InvalidQueryResponse(const Status& status) {
  return ErrorResponse(400, "invalid_query", status.message(), status.field());
}

Response JsonResponse(int http_status, const nlohmann::json& body) {
  Response response;
  response.status = http_status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response EmptyResponse(int http_status) {
  Response response;
  response.status = http_status;
  response.content_type.clear();
  return response;
}

}  // namespace switchyard::server
