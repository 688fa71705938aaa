// OpenAI-style request bodies as the gateway sees them: which route and user they name, whether
// they stream, and the body to send upstream with `model` rewritten. Every other byte passes
// through as the client sent it, so a client can use features the gateway has never heard of.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/json_parser_pool.h"
#include "switchyard/status.h"

namespace switchyard::gateway {

// `model: "route:chat-default"` names a route; anything else is a model the caller asked for.
inline constexpr std::string_view kRoutePrefix = "route:";

// Where a top-level member's value sits in GatewayRequest::text.
struct ValueSpan {
  std::size_t offset = 0;
  std::size_t length = 0;
};

struct GatewayRequest {
  // The body, validated (a JSON object within the depth bound, no repeated key). It is the client's
  // text, except when only nlohmann's parser reads it (an integer past 64 bits): then its dump.
  std::string text;
  std::string model;                // as sent ("" when absent)
  std::optional<std::string> user;  // `user`, when a non-empty string
  bool stream = false;
  // The client asked for the usage chunk itself (stream_options.include_usage); otherwise the
  // gateway asks for it upstream and hides it, so usage is always counted.
  bool client_wants_usage = false;
  std::optional<ValueSpan> model_value;           // absent: `model` is not in the body
  std::optional<ValueSpan> stream_options_value;  // absent: `stream_options` is not in the body
};

// The route key named in `model` ("route:KEY"), or nullopt.
std::optional<std::string_view> RouteInModel(std::string_view model);

// Parses a body; InvalidArgument naming the field for malformed JSON (field "body"), a body that
// is not an object, or `model` / `user` / `stream` / `stream_options` of the wrong type.
Result<GatewayRequest> ParseGatewayRequest(std::string_view text);
// The same, with parsers leased from `pool` (the server's calls) or given (the pool's lease).
Result<GatewayRequest> ParseGatewayRequest(std::string_view text, JsonParserPool& pool);
Result<GatewayRequest> ParseGatewayRequest(std::string_view text, JsonParsers& parsers);

// The body for the upstream: the client's text with `model`'s value replaced by `upstream_model`
// (or `model` added) and, when streaming, stream_options.include_usage forced on.
std::string UpstreamBody(const GatewayRequest& request, std::string_view upstream_model);

// The body for a shadow call, which never streams: UpstreamBody without `stream` and
// `stream_options`.
std::string ShadowBody(const GatewayRequest& request, std::string_view upstream_model);

}  // namespace switchyard::gateway
