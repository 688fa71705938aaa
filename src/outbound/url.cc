#include "outbound/url.h"

#include <charconv>

namespace switchyard::outbound {

std::string Url::Origin() const {
  std::string out = tls ? "https://" : "http://";
  out += host.find(':') == std::string::npos ? host : "[" + host + "]";
  out += ':';
  out += std::to_string(port);
  return out;
}

Result<Url> ParseUrl(std::string_view text) {
  Url url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
    url.port = 80;
  } else if (text.starts_with("https://")) {
    rest = text.substr(8);
    url.tls = true;
    url.port = 443;
  } else {
    return Status::InvalidArgument("the URL must start with http:// or https://", "url");
  }
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view path = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  path = path.substr(0, path.find('#'));
  if (authority.find('@') != std::string_view::npos)
    return Status::InvalidArgument("credentials in the URL are not accepted", "url");

  std::string_view port_text;
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("unterminated IPv6 address", "url");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return Status::InvalidArgument("malformed host", "url");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    std::size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return Status::InvalidArgument("the URL has no host", "url");
  if (!port_text.empty() || authority.ends_with(':')) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value == 0 || value > 65535)
      return Status::InvalidArgument("the URL's port must be 1 to 65535", "url");
    url.port = static_cast<std::uint16_t>(value);
  }
  url.target = path.empty() ? "/" : (path.starts_with('?') ? "/" + std::string(path) : std::string(path));
  return url;
}

}  // namespace switchyard::outbound
