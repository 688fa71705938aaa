// JsonParserPool: simdjson parsers kept between gateway calls. A call reads two JSON texts (the
// client's body, twice: simdjson's DOM validates it and its On-Demand API locates `model`; then
// the upstream's answer), and building the three parsers afresh was ~6k instructions and 13
// allocations of every call (docs/PERFORMANCE.md, "Parsers kept between calls").
//
// A parse leases a set for its own length only, never across an await, so the pool holds about
// as many sets as parses run at once (one per I/O thread), not one per call in flight. A set
// grown past kMaxKeptCapacity by a large body is freed rather than kept, and at most `max_idle`
// sets are kept, so what the pool holds is bounded whatever the traffic.
//
// Thread-safety: every method from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "common/thread_annotations.h"

namespace switchyard::gateway {

struct JsonParsers;  // gateway/json_parsers.h: simdjson's types stay out of this header

class JsonParserPool {
 public:
  // Bytes of text a kept set may be sized for. simdjson's buffers take ~20 bytes per byte of it
  // (structural indexes and tape for the DOM, indexes and strings for On-Demand): ~1.3 MB a set.
  static constexpr std::size_t kMaxKeptCapacity = 64 * 1024;

  explicit JsonParserPool(std::size_t max_idle);
  ~JsonParserPool();
  JsonParserPool(const JsonParserPool&) = delete;
  JsonParserPool& operator=(const JsonParserPool&) = delete;

  // A set of parsers for one parse; given back when the lease ends.
  class Lease {
   public:
    Lease(JsonParserPool& pool, std::unique_ptr<JsonParsers> parsers);
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    JsonParsers& parsers() { return *parsers_; }

   private:
    JsonParserPool& pool_;
    std::unique_ptr<JsonParsers> parsers_;
  };

  Lease Take();
  std::size_t idle() const;  // sets kept now (tests)

 private:
  void GiveBack(std::unique_ptr<JsonParsers> parsers);

  const std::size_t max_idle_;
  mutable Mutex mu_;
  std::vector<std::unique_ptr<JsonParsers>> idle_ GUARDED_BY(mu_);
};

}  // namespace switchyard::gateway
