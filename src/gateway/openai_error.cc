#include "gateway/openai_error.h"

#include <nlohmann/json.hpp>

namespace switchyard::gateway {

std::string OpenAiErrorBody(std::string_view message, std::string_view type, std::string_view param,
                            std::string_view code) {
  nlohmann::json error = {{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
  if (!param.empty()) error["param"] = param;
  if (!code.empty()) error["code"] = code;
  return nlohmann::json{{"error", std::move(error)}}.dump();
}

std::string_view OpenAiErrorType(int status) {
  switch (status) {
    case 400:
    case 413:
    case 422: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

}  // namespace switchyard::gateway
