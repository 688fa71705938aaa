// Conditional GET (RFC 9110 §8.8.3, §13.1.2): every management GET answers with an ETag, and a
// request whose If-None-Match matches it gets 304 Not Modified without a body. Applied by the
// router to every admin GET, so no handler implements it. A handler may set its own ETag (flags
// and cohorts use `"<version>"`, the form If-Match takes on writes); otherwise the ETag is a
// digest of the body, which changes exactly when the representation does (a list, a project).
#pragma once

#include <string>
#include <string_view>

#include "server/http_message.h"

namespace switchyard::server {

// Weak comparison (RFC 9110 §8.8.3.2): the opaque tags are equal; a W/ prefix on either side is
// ignored. Both arguments are entity-tags as sent (`"3"`, `W/"3"`); a malformed one matches
// nothing.
bool WeakETagMatch(std::string_view a, std::string_view b);

// Whether an If-None-Match field value ("*", or a comma-separated list of entity-tags) matches
// `etag` (GET uses weak comparison). Malformed members match nothing.
bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag);

// A strong entity-tag for `body`: 128 bits of its SHA-256, base64url, quoted.
std::string DigestETag(std::string_view body);

// For a GET answered 200 with a whole body: gives `response` an ETag (DigestETag of the body
// unless it has one) and, when any If-None-Match of `request` matches it, turns it into a 304
// that carries only the ETag.
void ApplyConditionalGet(const Request& request, Response& response);

}  // namespace switchyard::server
