// The gateway's body handling (simdjson's passes, the bounded nlohmann parser deciding the rest,
// then the client's text with `model` and stream_options spliced in) against nlohmann's DOM of the
// same bytes: a body nlohmann refuses is refused; a body accepted goes upstream as valid JSON that
// says what the client sent, except `model` and, when streaming, stream_options.include_usage. A
// disagreement aborts, so the fuzzer reports the input that caused it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/bounded_json.h"
#include "gateway/openai_request.h"

namespace {

using nlohmann::json;

constexpr std::string_view kUpstreamModel = "up\"model\\";

void Check(bool agree) {
  if (!agree) std::abort();
}

// What the upstream must receive for `sent` (the client's body as nlohmann reads it).
void CheckUpstream(const json& sent, const switchyard::gateway::GatewayRequest& request) {
  auto upstream =
      switchyard::core::ParseBoundedJson(switchyard::gateway::UpstreamBody(request, kUpstreamModel));
  Check(upstream.ok() && upstream->is_object());
  Check((*upstream)["model"] == kUpstreamModel);
  const bool add_usage = request.stream && !request.client_wants_usage;
  for (const auto& [key, value] : sent.items()) {
    if (key == "model" || (key == "stream_options" && add_usage)) continue;
    Check(upstream->contains(key) && (*upstream)[key] == value);
  }
  const std::size_t added =
      (sent.contains("model") ? 0 : 1) + (add_usage && !sent.contains("stream_options") ? 1 : 0);
  Check(upstream->size() == sent.size() + added);
  if (add_usage) {
    const json& options = (*upstream)["stream_options"];
    Check(options.is_object() && options["include_usage"] == true);
  }
  auto shadow = switchyard::core::ParseBoundedJson(switchyard::gateway::ShadowBody(request, kUpstreamModel));
  Check(shadow.ok() && (*shadow)["model"] == kUpstreamModel && !shadow->contains("stream") &&
        !shadow->contains("stream_options"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto request = switchyard::gateway::ParseGatewayRequest(text);
  auto reference = switchyard::core::ParseBoundedJson(text);
  if (!reference.ok() || !reference->is_object()) {
    Check(!request.ok() && request.status().field() == "body");
    return 0;
  }
  if (!request.ok()) {
    // Only a member the gateway reads, of the wrong type.
    Check(request.status().field() != "body");
    return 0;
  }
  const json& sent = *reference;
  if (sent.contains("model")) Check(sent["model"] == request->model);
  if (sent.contains("user") && sent["user"].is_string() && sent["user"] != "")
    Check(sent["user"] == *request->user);
  Check(request->stream == (sent.contains("stream") && sent["stream"] == true));
  CheckUpstream(sent, *request);
  return 0;
}
