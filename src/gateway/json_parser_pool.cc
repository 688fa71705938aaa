#include "gateway/json_parser_pool.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "gateway/json_parsers.h"

namespace switchyard::gateway {

std::size_t CapacityFor(std::size_t current, std::size_t bytes) {
  constexpr std::size_t kSmallest = 4 * 1024;
  if (bytes <= current) return current;
  // A set this large is freed after its parse, so rounding would only add transient memory
  // (up to twice a maximum-size body's buffers).
  if (bytes > JsonParserPool::kMaxKeptCapacity) return bytes;
  return std::bit_ceil(std::max(bytes, kSmallest));
}

simdjson::error_code SizeFor(simdjson::dom::parser& parser, std::size_t bytes, std::size_t max_depth) {
  return parser.allocate(CapacityFor(parser.capacity(), bytes), max_depth);
}

simdjson::error_code SizeFor(simdjson::ondemand::parser& parser, std::size_t bytes, std::size_t max_depth) {
  return parser.allocate(CapacityFor(parser.capacity(), bytes), max_depth);
}

JsonParserPool::JsonParserPool(std::size_t max_idle) : max_idle_(max_idle) {}

JsonParserPool::~JsonParserPool() = default;

JsonParserPool::Lease::Lease(JsonParserPool& pool, std::unique_ptr<JsonParsers> parsers)
    : pool_(pool), parsers_(std::move(parsers)) {}

JsonParserPool::Lease::~Lease() {
  pool_.GiveBack(std::move(parsers_));
}

JsonParserPool::Lease JsonParserPool::Take() {
  std::unique_ptr<JsonParsers> parsers;
  {
    MutexLock lock(mu_);
    if (!idle_.empty()) {
      parsers = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!parsers) parsers = std::make_unique<JsonParsers>();
  return Lease(*this, std::move(parsers));
}

std::size_t JsonParserPool::idle() const {
  MutexLock lock(mu_);
  return idle_.size();
}

void JsonParserPool::GiveBack(std::unique_ptr<JsonParsers> parsers) {
  if (!parsers) return;
  if (parsers->dom.capacity() > kMaxKeptCapacity || parsers->ondemand.capacity() > kMaxKeptCapacity) return;
  MutexLock lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(parsers));
}

}  // namespace switchyard::gateway
