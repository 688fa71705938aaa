// The status line and header fields of a response, written straight into a reusable buffer: the
// transport's hot path (every /healthz, every evaluate) then allocates nothing for them, where
// Beast's message and serializer allocated each field and walked a variant of buffer sequences.
// Framing follows Beast's prepare_payload and keep_alive, which the session used before.
#pragma once

#include <cstddef>
#include <string>

#include "server/http_message.h"

namespace switchyard::server {

// Replaces `out` with the head for `response` (status, Server, Content-Type, its extra headers,
// Connection as HTTP `version` (10 or 11) needs it, Content-Length of `response.body`), ending
// with the blank line. 1xx, 204 and 304 carry no Content-Length (and must have no body).
void WriteResponseHead(const Response& response, unsigned version, bool keep_alive, std::string* out);

}  // namespace switchyard::server
