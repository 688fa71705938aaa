// The project token PostHog SDKs put in a JSON body instead of an Authorization header: `token` or
// `api_key` at the top level ({"api_key", "batch": [...]}, /flags), or `properties.token` of a
// single event, or of the first event of an array (posthog-js). Found with a SAX pass that stops
// at the token, so a large batch is not parsed twice just to authenticate it.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::server {

// The token, or empty when the body is not JSON or carries none.
std::string FindBodyToken(std::string_view json_text);

}  // namespace switchyard::server
