#include "gateway/response_summary.h"

#include <simdjson.h>

namespace switchyard::gateway {
namespace {

// The same depth bound as every other JSON the server reads (core::ParseBoundedJson).
constexpr std::size_t kMaxDepth = 64;

std::optional<std::string_view> StringAt(simdjson::dom::element element) {
  std::string_view text;
  if (element.get(text) != simdjson::SUCCESS) return std::nullopt;
  return text;
}

std::optional<std::string_view> GeneratedText(simdjson::dom::object object) {
  simdjson::dom::array choices;
  if (object["choices"].get(choices) == simdjson::SUCCESS) {
    simdjson::dom::object first;
    if (choices.at(0).get(first) != simdjson::SUCCESS) return std::nullopt;
    simdjson::dom::object message;
    if (first["message"].get(message) == simdjson::SUCCESS) {
      simdjson::dom::element content;
      if (message["content"].get(content) != simdjson::SUCCESS) return std::nullopt;
      return StringAt(content);
    }
    simdjson::dom::element legacy;
    if (first["text"].get(legacy) != simdjson::SUCCESS) return std::nullopt;
    return StringAt(legacy);
  }
  simdjson::dom::element output;
  if (object["output_text"].get(output) != simdjson::SUCCESS) return std::nullopt;
  return StringAt(output);
}

}  // namespace

ResponseSummary SummarizeResponse(std::string_view body, std::size_t max_text_bytes) {
  ResponseSummary summary;
  simdjson::dom::parser parser;
  if (parser.allocate(body.size(), kMaxDepth) != simdjson::SUCCESS) return summary;
  const simdjson::padded_string padded(body);
  simdjson::dom::object object;
  if (parser.parse(padded).get(object) != simdjson::SUCCESS) return summary;
  summary.json_object = true;
  simdjson::dom::object usage;
  if (object["usage"].get(usage) == simdjson::SUCCESS) {
    // The usage object is small: read it with the one ReadUsage every path shares.
    summary.usage = ReadUsage(nlohmann::json::parse(simdjson::minify(usage), nullptr, false));
  }
  if (auto text = GeneratedText(object)) {
    summary.text_bytes = text->size();
    summary.text = std::string(text->substr(0, max_text_bytes));
  }
  return summary;
}

}  // namespace switchyard::gateway
