#include "server/response_head.h"

#include <charconv>

#include <boost/beast/http/status.hpp>

namespace switchyard::server {

namespace {

void AppendField(std::string_view name, std::string_view value, std::string* out) {
  out->append(name);
  out->append(": ");
  out->append(value);
  out->append("\r\n");
}

void AppendNumber(std::size_t value, std::string* out) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out->append(digits, end);
}

}  // namespace

void WriteResponseHead(const Response& response, unsigned version, bool keep_alive, std::string* out) {
  out->clear();
  out->append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(static_cast<std::size_t>(response.status), out);
  out->push_back(' ');
  auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(response.status));
  out->append(reason.data(), reason.size());
  out->append("\r\n");
  AppendField("Server", "switchyard", out);
  if (!response.content_type.empty()) AppendField("Content-Type", response.content_type, out);
  for (const auto& [name, value] : response.headers) AppendField(name, value, out);
  // HTTP/1.1 keeps a connection open unless told; HTTP/1.0 closes it unless told.
  if (version >= 11 && !keep_alive) AppendField("Connection", "close", out);
  if (version < 11 && keep_alive) AppendField("Connection", "keep-alive", out);
  bool no_content =
      (response.status >= 100 && response.status < 200) || response.status == 204 || response.status == 304;
  if (!no_content) {
    out->append("Content-Length: ");
    AppendNumber(response.body.size(), out);
    out->append("\r\n");
  }
  out->append("\r\n");
}

}  // namespace switchyard::server
