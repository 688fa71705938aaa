#include "outbound/request_head.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace switchyard::outbound {
namespace {

std::string_view TrimmedValue(std::string_view value) {
  const std::size_t first = value.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return value.substr(first, value.find_last_not_of(" \t") - first + 1);
}

bool MethodDefinesContent(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "OPTIONS";
}

}  // namespace

bool IsOwnedByClient(std::string_view field_name) {
  static constexpr std::string_view kOwned[] = {
      "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade", "trailer"};
  return std::any_of(std::begin(kOwned), std::end(kOwned), [&](std::string_view owned) {
    return field_name.size() == owned.size() &&
           std::equal(field_name.begin(), field_name.end(), owned.begin(),
                      [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  });
}

std::string RequestHead(std::string_view method, const Url& url,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        std::size_t body_size) {
  std::string head;
  head.reserve(256 + url.target.size());
  head.append(method).append(" ").append(url.target).append(" HTTP/1.1\r\nHost: ");
  const bool bracketed = url.host.find(':') != std::string::npos;  // an IPv6 literal
  if (bracketed) head += '[';
  head += url.host;
  if (bracketed) head += ']';
  if (url.port != (url.tls ? 443 : 80)) head.append(":").append(std::to_string(url.port));
  head += "\r\n";
  for (const auto& [name, value] : headers) {
    if (IsOwnedByClient(name)) continue;
    head.append(name).append(": ").append(TrimmedValue(value)).append("\r\n");
  }
  if (body_size > 0 || MethodDefinesContent(method)) {
    head.append("Content-Length: ").append(std::to_string(body_size)).append("\r\n");
  }
  head += "\r\n";
  return head;
}

}  // namespace switchyard::outbound
