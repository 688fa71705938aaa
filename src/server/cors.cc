#include "server/cors.h"

#include <algorithm>

namespace switchyard::server {

bool CorsPolicy::Allows(std::string_view origin) const {
  if (origin.empty()) return false;
  return std::any_of(allowed_origins.begin(), allowed_origins.end(),
                     [origin](const std::string& allowed) { return allowed == "*" || allowed == origin; });
}

std::string CorsPolicy::AllowOriginValue(std::string_view origin) const {
  bool wildcard = std::find(allowed_origins.begin(), allowed_origins.end(), "*") != allowed_origins.end();
  return wildcard ? std::string("*") : std::string(origin);
}

}  // namespace switchyard::server
