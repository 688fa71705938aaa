// The one place where failures become HTTP: Status codes map to statuses here and nowhere else,
// and every error body has the same envelope {"error":{"code","message","field"}}.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "server/http_message.h"
#include "switchyard/status.h"

namespace switchyard::server {

int HttpStatusFor(StatusCode code);

// An error response for a Status (422 for InvalidArgument: the JSON was well-formed but wrong).
Response ErrorResponse(const Status& status);

// An error response with an explicit HTTP status and wire code (e.g. 400 "invalid_json",
// 413 "payload_too_large", 415 "unsupported_media_type", 503 "unavailable").
Response ErrorResponse(int http_status, std::string_view code, std::string_view message,
                       std::string_view field = {});

// 400 invalid_query for a Status about a query parameter (its field names the parameter).
Response InvalidQueryResponse(const Status& status);

Response JsonResponse(int http_status, const nlohmann::json& body);
Response EmptyResponse(int http_status);

}  // namespace switchyard::server
