// Errors in OpenAI's format, {"error": {"message", "type", "param", "code"}}, which is what the
// official clients parse: the gateway's own errors must read like an upstream's.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::gateway {

// type: "invalid_request_error", "authentication_error", "permission_error", "not_found_error",
// "rate_limit_error", "api_error", "upstream_error", ...; param: the offending field or "".
std::string OpenAiErrorBody(std::string_view message, std::string_view type, std::string_view param = {},
                            std::string_view code = {});

// The error type OpenAI uses for an HTTP status the gateway answers with.
std::string_view OpenAiErrorType(int status);

}  // namespace switchyard::gateway
