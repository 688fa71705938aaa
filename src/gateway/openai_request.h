// OpenAI-style request bodies as the gateway sees them: which route and user they name, whether
// they stream, and the body to send upstream with `model` rewritten. Every other field passes
// through untouched, so a client can use features the gateway has never heard of.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::gateway {

// `model: "route:chat-default"` names a route; anything else is a model the caller asked for.
inline constexpr std::string_view kRoutePrefix = "route:";

struct GatewayRequest {
  nlohmann::json body;              // the whole request, parsed with a depth bound
  std::string model;                // as sent ("" when absent)
  std::optional<std::string> user;  // `user`, when a non-empty string
  bool stream = false;
  // The client asked for the usage chunk itself (stream_options.include_usage); otherwise the
  // gateway asks for it upstream and hides it, so usage is always counted.
  bool client_wants_usage = false;
};

// The route key named in `model` ("route:KEY"), or nullopt.
std::optional<std::string_view> RouteInModel(std::string_view model);

// Parses a body; InvalidArgument naming the field for malformed JSON (field "body"), a body that
// is not an object, or `model` / `user` / `stream` / `stream_options` of the wrong type.
Result<GatewayRequest> ParseGatewayRequest(std::string_view text);

// The body for the upstream: `model` set to `upstream_model`; when streaming,
// stream_options.include_usage forced on.
std::string UpstreamBody(const GatewayRequest& request, std::string_view upstream_model);

}  // namespace switchyard::gateway
