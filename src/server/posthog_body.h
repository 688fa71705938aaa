// Request bodies as PostHog's SDKs send them to the routes they call (/flags, /decide, capture):
// plain JSON; gzip announced by Content-Encoding or only by `?compression=gzip-js` (posthog-js
// sends it as text/plain); base64 of the JSON, form-encoded as `data=...` (posthog-js's
// `compression=base64`) or bare; or a form `data=` holding url-encoded JSON. Whatever the
// wrapping, the decoded size is bounded, so a small gzip bomb costs nothing (kTooLarge: 413).
#pragma once

#include <cstddef>

#include "server/body_decoding.h"
#include "server/http_message.h"

namespace switchyard::server {

// `request`'s body as JSON text (not parsed), at most `max_bytes` decoded. kMalformed (a 400)
// for a broken gzip stream or base64 text, or a form without `data`; any Content-Type is taken.
DecodedBody DecodePostHogBody(const Request& request, std::size_t max_bytes);

// Standard base64 (RFC 4648 §4, padding optional, whitespace ignored); nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace switchyard::server
