// Url: the parts of an upstream URL the outbound client needs to connect and to address a request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "switchyard/status.h"

namespace switchyard::outbound {

struct Url {
  bool tls = false;        // https
  std::string host;        // without brackets for IPv6 literals
  std::uint16_t port = 0;  // the scheme's default when the URL names none
  std::string target;      // path and query, at least "/"

  // What a pooled connection may be reused for: scheme, host and port.
  std::string Origin() const;
};

// Accepts http:// and https:// URLs; anything else (another scheme, user info, a bad port) is an
// InvalidArgument naming the field "url".
Result<Url> ParseUrl(std::string_view url);

}  // namespace switchyard::outbound
