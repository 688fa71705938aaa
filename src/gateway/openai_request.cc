#include "gateway/openai_request.h"

#include <array>
#include <utility>
#include <vector>

#include <simdjson.h>
#include <nlohmann/json.hpp>

#include "core/bounded_json.h"
#include "core/unique_keys.h"
#include "gateway/json_parsers.h"

namespace switchyard::gateway {
namespace {

namespace dom = simdjson::dom;
namespace ondemand = simdjson::ondemand;

// The body is read twice by simdjson, and neither pass builds a DOM of nlohmann's. A DOM of
// nlohmann's, parsed and dumped again, was a fifth of a gateway call's instructions
// (docs/PERFORMANCE.md, "Model gateway"); it also reordered the client's keys and rewrote its
// numbers. simdjson's DOM validates the whole text within the depth bound and gives the members
// the gateway reads; its On-Demand API, over the same validated text, gives where `model` and
// `stream_options` sit, so the upstream body is the client's bytes with those values replaced.
constexpr std::size_t kMaxRequestDepth = core::kMaxJsonDepth;

// The simdjson passes' verdict: decided (the request, or a refusal naming its field), or not
// decided when simdjson refused what core::ParseBoundedJson may accept or words better.
struct FastParse {
  bool decided = false;
  Status status;
};

Status ReadMembers(dom::object body, GatewayRequest& request) {
  dom::element value;
  if (body["model"].get(value) == simdjson::SUCCESS) {
    std::string_view model;
    if (value.get_string().get(model) != simdjson::SUCCESS)
      return Status::InvalidArgument("model must be a string", "model");
    request.model.assign(model);
  }
  if (body["user"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    std::string_view user;
    if (value.get_string().get(user) != simdjson::SUCCESS)
      return Status::InvalidArgument("user must be a string", "user");
    if (!user.empty()) request.user.emplace(user);
  }
  if (body["stream"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    if (value.get_bool().get(request.stream) != simdjson::SUCCESS)
      return Status::InvalidArgument("stream must be a boolean", "stream");
  }
  if (body["stream_options"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    dom::object options;
    if (value.get_object().get(options) != simdjson::SUCCESS)
      return Status::InvalidArgument("stream_options must be an object", "stream_options");
    dom::element usage;
    if (options["include_usage"].get(usage) == simdjson::SUCCESS && !usage.is_null()) {
      if (usage.get_bool().get(request.client_wants_usage) != simdjson::SUCCESS)
        return Status::InvalidArgument("include_usage must be a boolean", "stream_options.include_usage");
    }
  }
  return Status::Ok();
}

std::string_view TrimTrailingSpace(std::string_view token) {
  while (!token.empty() &&
         (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' || token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return token;
}

ValueSpan SpanIn(std::string_view text, std::string_view value) {
  return ValueSpan{static_cast<std::size_t>(value.data() - text.data()), value.size()};
}

// Where `model` and `stream_options` sit in a text simdjson's DOM has already validated (so
// every error here is "cannot happen"; it still refuses rather than guess).
bool LocateMembers(std::string_view text, GatewayRequest& request, ondemand::parser& parser) {
  // The On-Demand parser's own depth bound: the DOM pass has already held the text to ours.
  if (SizeFor(parser, text.size(), simdjson::DEFAULT_MAX_DEPTH) != simdjson::SUCCESS) return false;
  ondemand::document document;
  if (parser.iterate(text.data(), text.size(), request.text.capacity()).get(document) != simdjson::SUCCESS)
    return false;
  ondemand::object body;
  if (document.get_object().get(body) != simdjson::SUCCESS) return false;
  for (auto member : body) {
    ondemand::field field;
    std::string_view key;
    if (std::move(member).get(field) != simdjson::SUCCESS ||
        field.unescaped_key().get(key) != simdjson::SUCCESS)
      return false;
    if (key == "model") {
      request.model_value = SpanIn(text, TrimTrailingSpace(field.value().raw_json_token()));
    } else if (key == "stream_options") {
      ondemand::value value = field.value();
      ondemand::json_type type;
      if (value.type().get(type) != simdjson::SUCCESS) return false;
      std::string_view raw;
      if (type == ondemand::json_type::object) {
        ondemand::object options;
        if (value.get_object().get(options) != simdjson::SUCCESS ||
            options.raw_json().get(raw) != simdjson::SUCCESS)
          return false;
      } else {
        raw = TrimTrailingSpace(value.raw_json_token());
      }
      request.stream_options_value = SpanIn(text, raw);
    }
  }
  return true;
}

// request.text must hold the body with simdjson's padding allocated behind it.
FastParse ParseFast(GatewayRequest& request, JsonParsers& parsers) {
  const std::string_view text = request.text;
  dom::parser& parser = parsers.dom;
  dom::element root;
  if (SizeFor(parser, text.size(), kMaxRequestDepth) != simdjson::SUCCESS ||
      parser.parse(text.data(), text.size(), /*realloc_if_needed=*/false).get(root) != simdjson::SUCCESS) {
    return {};
  }
  std::vector<std::string_view> keys;
  if (!core::KeysAreUnique(root, keys)) return {};
  dom::object body;
  if (root.get_object().get(body) != simdjson::SUCCESS)
    return {true, Status::InvalidArgument("the body must be a JSON object", "body")};
  Status read = ReadMembers(body, request);
  if (!read.ok()) return {true, std::move(read)};
  if (!LocateMembers(text, request, parsers.ondemand)) return {};
  return {true, Status::Ok()};
}

// Copies `text` into request.text with simdjson's padding allocated and initialized behind it
// (simdjson reads past the end in whole vectors; the bytes must be there, their value is unused).
void HoldText(std::string_view text, GatewayRequest& request) {
  request.text.clear();
  request.text.resize(text.size() + simdjson::SIMDJSON_PADDING);
  request.text.resize(0);
  request.text.append(text);
}

std::string JsonString(std::string_view text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// stream_options with include_usage on, from the client's (an object or null) or from nothing.
std::string StreamOptionsWithUsage(const GatewayRequest& request) {
  nlohmann::json options = nlohmann::json::object();
  if (request.stream_options_value) {
    const ValueSpan span = *request.stream_options_value;
    nlohmann::json sent =
        nlohmann::json::parse(request.text.substr(span.offset, span.length), nullptr, false);
    if (sent.is_object()) options = std::move(sent);
  }
  options["include_usage"] = true;
  return options.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct Edit {
  ValueSpan span;
  std::string replacement;
};

}  // namespace

std::optional<std::string_view> RouteInModel(std::string_view model) {
  if (model.substr(0, kRoutePrefix.size()) != kRoutePrefix) return std::nullopt;
  return model.substr(kRoutePrefix.size());
}

Result<GatewayRequest> ParseGatewayRequest(std::string_view text) {
  JsonParsers parsers;
  return ParseGatewayRequest(text, parsers);
}

Result<GatewayRequest> ParseGatewayRequest(std::string_view text, JsonParserPool& pool) {
  JsonParserPool::Lease lease = pool.Take();
  return ParseGatewayRequest(text, lease.parsers());
}

Result<GatewayRequest> ParseGatewayRequest(std::string_view text, JsonParsers& parsers) {
  GatewayRequest request;
  HoldText(text, request);
  FastParse fast = ParseFast(request, parsers);
  if (fast.decided) {
    if (!fast.status.ok()) return fast.status;
    return request;
  }
  // simdjson refused: a malformed body, a repeated key, or what only nlohmann reads (an integer
  // past 64 bits). nlohmann's bounded parser decides and words the refusal; a body it accepts is
  // read again from its dump, which simdjson reads.
  Result<nlohmann::json> parsed = core::ParseBoundedJson(text);
  if (!parsed.ok()) return Status::InvalidArgument(parsed.status().message(), "body");
  if (!parsed->is_object()) return Status::InvalidArgument("the body must be a JSON object", "body");
  request = GatewayRequest{};
  HoldText(parsed->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), request);
  fast = ParseFast(request, parsers);
  if (!fast.decided) return Status::InvalidArgument("the body could not be read as JSON", "body");
  if (!fast.status.ok()) return fast.status;
  return request;
}

std::string UpstreamBody(const GatewayRequest& request, std::string_view upstream_model) {
  const std::string_view text = request.text;
  const std::string model = JsonString(upstream_model);
  const bool add_usage = request.stream && !request.client_wants_usage;

  // Members the body lacks go first in the object; values it has are replaced where they are.
  std::string added;
  std::array<Edit, 2> edits;
  std::size_t edit_count = 0;
  if (request.model_value) {
    edits[edit_count++] = Edit{*request.model_value, model};
  } else {
    added = "\"model\":" + model;
  }
  if (add_usage) {
    std::string options = StreamOptionsWithUsage(request);
    if (request.stream_options_value) {
      edits[edit_count++] = Edit{*request.stream_options_value, std::move(options)};
    } else {
      if (!added.empty()) added += ',';
      added += "\"stream_options\":" + options;
    }
  }
  if (edit_count == 2 && edits[1].span.offset < edits[0].span.offset) std::swap(edits[0], edits[1]);

  std::string out;
  out.reserve(text.size() + added.size() + model.size() + 32);
  std::size_t at = text.find('{') + 1;  // a validated object: its first byte that is not a space
  out.append(text.substr(0, at));
  if (!added.empty()) {
    out += added;
    const std::size_t next = text.find_first_not_of(" \t\r\n", at);
    if (next != std::string_view::npos && text[next] != '}') out += ',';
  }
  for (std::size_t i = 0; i < edit_count; ++i) {
    out.append(text.substr(at, edits[i].span.offset - at));
    out += edits[i].replacement;
    at = edits[i].span.offset + edits[i].span.length;
  }
  out.append(text.substr(at));
  return out;
}

std::string ShadowBody(const GatewayRequest& request, std::string_view upstream_model) {
  // Off the live path (a sampled share of calls): a DOM is simpler than cutting members out.
  nlohmann::json body = nlohmann::json::parse(request.text, nullptr, false);
  if (!body.is_object()) return UpstreamBody(request, upstream_model);
  body.erase("stream");
  body.erase("stream_options");
  body["model"] = upstream_model;
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace switchyard::gateway
