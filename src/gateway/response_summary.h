// What the gateway reads from an upstream's whole (non-streamed) answer: whether it is a JSON
// object, its token usage and the generated text. Read with simdjson, on every call, without
// building a DOM of the answer: nlohmann's parse of the answer was the gateway's second-largest
// cost per call (docs/PERFORMANCE.md). The answer itself is passed on untouched.
//
// Pure: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/json_parser_pool.h"
#include "gateway/usage.h"

namespace switchyard::gateway {

struct ResponseSummary {
  bool json_object = false;  // false: not JSON, too deep (> 64 levels), or not an object
  std::optional<TokenUsage> usage;
  std::string text;            // chat (choices[0].message.content), completions (choices[0].text) or
                               // Responses (output_text); at most `max_text_bytes` of it
  std::size_t text_bytes = 0;  // the whole text's length
};

ResponseSummary SummarizeResponse(std::string_view body, std::size_t max_text_bytes);
// The same, with a parser leased from `pool` (the server's calls) or given (the pool's lease).
ResponseSummary SummarizeResponse(std::string_view body, std::size_t max_text_bytes, JsonParserPool& pool);
ResponseSummary SummarizeResponse(std::string_view body, std::size_t max_text_bytes, JsonParsers& parsers);

}  // namespace switchyard::gateway
