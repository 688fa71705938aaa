// The simdjson parsers a JsonParserPool lends, and how a parse sizes them. Private to
// src/gateway: only its .cc files include simdjson.
#pragma once

#include <cstddef>

#include <simdjson.h>

namespace switchyard::gateway {

struct JsonParsers {
  simdjson::dom::parser dom;
  simdjson::ondemand::parser ondemand;
};

// The capacity to size a parser to for `bytes` of text: at least what it has (simdjson frees and
// allocates its buffers again on any change of capacity, even a smaller one), rounded up to a
// power of two of at least 4 KiB, so one set serves bodies of many sizes; past
// JsonParserPool::kMaxKeptCapacity (a set the pool will not keep), exactly `bytes`.
std::size_t CapacityFor(std::size_t current, std::size_t bytes);

// Sizes `parser` for `bytes` of text within `max_depth` levels; reallocates only to grow.
simdjson::error_code SizeFor(simdjson::dom::parser& parser, std::size_t bytes, std::size_t max_depth);
simdjson::error_code SizeFor(simdjson::ondemand::parser& parser, std::size_t bytes, std::size_t max_depth);

}  // namespace switchyard::gateway
