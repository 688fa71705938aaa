#include "gateway/response_summary.h"

#include <algorithm>
#include <cstdint>

#include <simdjson.h>

#include "gateway/json_parsers.h"

namespace switchyard::gateway {
namespace {

// The same depth bound as every other JSON the server reads (core::ParseBoundedJson).
constexpr std::size_t kMaxDepth = 64;

// Usage read from simdjson's DOM with the shared rules (UsageFromCounts): reading the usage
// object through nlohmann again cost more than the whole simdjson parse.
// tests/gateway/response_summary_test.cc holds the two readers to the same answers.
std::int64_t Count(simdjson::dom::object object, const char* key, bool* found) {
  simdjson::dom::element value;
  if (object[key].get(value) != simdjson::SUCCESS) return 0;
  std::int64_t count = 0;
  if (value.get(count) == simdjson::SUCCESS) {
    *found = true;
    return std::max<std::int64_t>(0, count);
  }
  if (value.is_uint64()) {  // beyond int64: garbage, counted as 0 (as ReadUsage does)
    *found = true;
    return 0;
  }
  return 0;
}

std::int64_t Nested(simdjson::dom::object object, const char* parent, const char* key) {
  simdjson::dom::object inner;
  if (object[parent].get(inner) != simdjson::SUCCESS) return 0;
  bool ignored = false;
  return Count(inner, key, &ignored);
}

std::optional<TokenUsage> UsageOf(simdjson::dom::object usage) {
  return UsageFromCounts([&](const char* key, bool* found) { return Count(usage, key, found); },
                         [&](const char* parent, const char* key) { return Nested(usage, parent, key); });
}

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
  JsonParsers parsers;
  return SummarizeResponse(body, max_text_bytes, parsers);
}

ResponseSummary SummarizeResponse(std::string_view body, std::size_t max_text_bytes, JsonParserPool& pool) {
  JsonParserPool::Lease lease = pool.Take();
  return SummarizeResponse(body, max_text_bytes, lease.parsers());
}

ResponseSummary SummarizeResponse(std::string_view body, std::size_t max_text_bytes, JsonParsers& parsers) {
  ResponseSummary summary;
  simdjson::dom::parser& parser = parsers.dom;
  if (SizeFor(parser, body.size(), kMaxDepth) != simdjson::SUCCESS) return summary;
  const simdjson::padded_string padded(body);
  simdjson::dom::object object;
  if (parser.parse(padded).get(object) != simdjson::SUCCESS) return summary;
  summary.json_object = true;
  simdjson::dom::object usage;
  if (object["usage"].get(usage) == simdjson::SUCCESS) {
    summary.usage = UsageOf(usage);
  }
  if (auto text = GeneratedText(object)) {
    summary.text_bytes = text->size();
    summary.text = std::string(text->substr(0, max_text_bytes));
  }
  return summary;
}

}  // namespace switchyard::gateway
