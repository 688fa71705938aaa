#include "server/json_body.h"

#include <string>

namespace switchyard::server {

Result<nlohmann::json> ParseJsonBody(std::string_view body) {
  if (body.empty()) {
    return Status::InvalidArgument("the request body is empty; a JSON object is required", "body");
  }
  Result<nlohmann::json> parsed = core::ParseBoundedJson(body, kMaxBodyDepth);
  if (!parsed.ok()) return Status::InvalidArgument(parsed.status().message(), "body");
  return parsed;
}

}  // namespace switchyard::server
