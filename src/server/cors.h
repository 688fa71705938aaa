// CorsPolicy: which browser origins may call the routes that allow it (evaluation, capture).
// Keys on those routes are public project keys sent in a header, never cookies, so a wildcard is
// safe and is the default; an allow-list narrows it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace switchyard::server {

struct CorsPolicy {
  std::vector<std::string> allowed_origins{"*"};  // exact origins ("https://app.example.com") or "*"

  bool Allows(std::string_view origin) const;
  // The Access-Control-Allow-Origin value for an allowed origin.
  std::string AllowOriginValue(std::string_view origin) const;
};

// What a preflight may ask for (Access-Control-Allow-Headers).
inline constexpr char kCorsAllowedHeaders[] =
    "Authorization, Content-Type, Content-Encoding, If-Match, If-None-Match";
// What scripts may read from a response (Access-Control-Expose-Headers).
inline constexpr char kCorsExposedHeaders[] = "Retry-After, ETag";
inline constexpr int kCorsMaxAgeSeconds = 600;

}  // namespace switchyard::server
