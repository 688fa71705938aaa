// The head of a request to an upstream (request line, fields, blank line), written by the client
// itself rather than by Beast's serializer, whose buffer sequences cost a gateway call ~17k
// instructions (docs/PERFORMANCE.md, seventh session). What goes on the wire is what Beast wrote
// for the same request; tests/outbound/request_head_test.cc holds it to that byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outbound/url.h"

namespace switchyard::outbound {

// Framing and connection management are the client's: a caller's copy would contradict them.
bool IsOwnedByClient(std::string_view field_name);

// `method` (an HTTP token) and `headers` are the caller's, already checked (names are tokens,
// values hold no CR, LF or NUL). Host comes first; then the caller's fields in order, less those
// the client owns, with the spaces and tabs around their values dropped (RFC 9110 5.5, as Beast
// stored them); then Content-Length when there is a body or the method defines one: POST, PUT
// and OPTIONS (Beast's prepare_payload), and PATCH (RFC 9110 8.6 advises it).
std::string RequestHead(std::string_view method, const Url& url,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        std::size_t body_size);

}  // namespace switchyard::outbound
