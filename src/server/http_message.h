// Request and Response as the router sees them: plain values with no socket or Beast type, so
// that routing, auth and every handler can be unit-tested (and fuzzed) without a network.
#pragma once

#include <cstddef>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::server {

class BodySource;      // body_source.h
class ResponseStream;  // response_stream.h

struct Request {
  std::string method;                                        // upper-case: GET, POST, ...
  std::string target;                                        // as received: path and query
  std::string path;                                          // target without the query, not percent-decoded
  std::vector<std::pair<std::string, std::string>> query;    // percent-decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  // Set instead of `body` for routes that stream their body (RoutePolicy::stream_body): the
  // handler reads it piece by piece. Valid while the handler runs.
  std::shared_ptr<BodySource> body_source;
  // For routes with RoutePolicy::cancel_on_disconnect: stop is requested when the client closes
  // or resets the connection while the handler runs, so work done for it (an upstream call)
  // stops. Elsewhere it has no stop state (stop_possible() is false).
  std::stop_token cancel;

  // First value of a header (name lower-case) or of a query parameter; empty view if absent.
  std::string_view Header(std::string_view name) const;
  const std::string* QueryParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Retry-After, Allow, ...)
  // Set for a streamed answer (chunked; e.g. text/event-stream): `body` is then sent first and
  // the stream supplies the rest, piece by piece, as the client reads it.
  std::shared_ptr<ResponseStream> stream;
};

// What the transport must know of a route once a request head with a body has arrived.
struct BodyRules {
  std::size_t max_bytes = 0;      // the route's body limit
  bool streamed = false;          // hand the body to the handler piece by piece instead of whole
  bool watch_disconnect = false;  // raise Request::cancel if the client leaves while the handler runs
};

// Splits "/a/b?x=1&y=%20" into path and decoded query pairs. Malformed escapes are kept verbatim.
void ParseTarget(std::string_view target, std::string* path,
                 std::vector<std::pair<std::string, std::string>>* query);
std::string PercentDecode(std::string_view in, bool plus_as_space);
// Percent-encodes every byte but RFC 3986's unreserved characters (for query values in links).
std::string PercentEncode(std::string_view in);

}  // namespace switchyard::server
