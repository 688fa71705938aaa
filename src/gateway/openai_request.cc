#include "gateway/openai_request.h"

#include <utility>

#include "core/bounded_json.h"

namespace switchyard::gateway {

std::optional<std::string_view> RouteInModel(std::string_view model) {
  if (model.substr(0, kRoutePrefix.size()) != kRoutePrefix) return std::nullopt;
  return model.substr(kRoutePrefix.size());
}

Result<GatewayRequest> ParseGatewayRequest(std::string_view text) {
  Result<nlohmann::json> parsed = core::ParseBoundedJson(text);
  if (!parsed.ok()) return Status::InvalidArgument(parsed.status().message(), "body");
  GatewayRequest request;
  request.body = std::move(parsed).value();
  if (!request.body.is_object()) return Status::InvalidArgument("the body must be a JSON object", "body");
  const nlohmann::json& body = request.body;
  if (auto it = body.find("model"); it != body.end()) {
    if (!it->is_string()) return Status::InvalidArgument("model must be a string", "model");
    request.model = it->get<std::string>();
  }
  if (auto it = body.find("user"); it != body.end() && !it->is_null()) {
    if (!it->is_string()) return Status::InvalidArgument("user must be a string", "user");
    if (!it->get_ref<const std::string&>().empty()) request.user = it->get<std::string>();
  }
  if (auto it = body.find("stream"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) return Status::InvalidArgument("stream must be a boolean", "stream");
    request.stream = it->get<bool>();
  }
  if (auto it = body.find("stream_options"); it != body.end() && !it->is_null()) {
    if (!it->is_object())
      return Status::InvalidArgument("stream_options must be an object", "stream_options");
    if (auto usage = it->find("include_usage"); usage != it->end() && !usage->is_null()) {
      if (!usage->is_boolean())
        return Status::InvalidArgument("include_usage must be a boolean", "stream_options.include_usage");
      request.client_wants_usage = usage->get<bool>();
    }
  }
  return request;
}

std::string UpstreamBody(const GatewayRequest& request, std::string_view upstream_model) {
  nlohmann::json body = request.body;
  body["model"] = upstream_model;
  if (request.stream) body["stream_options"]["include_usage"] = true;
  return body.dump();
}

}  // namespace switchyard::gateway
