// PersonCache: stored person properties kept in memory for evaluation, so that the hot path
// (evaluate) answers without a store read — and so without a hop to the worker pool — for users
// seen recently. Persons that do not exist are cached too (most evaluated users have no stored
// properties).
//
// Coherence: every write of a person must call Invalidate after the store committed it. A read
// that missed takes Generation() before it reads the store and passes it to Insert; Insert drops
// the value when any invalidation happened since, so a read that raced a write can never cache
// the older value. (Nodes sharing one PostgreSQL later will need a TTL or change feed on top.)
//
// Bounded: `capacity` entries in all; a full shard forgets an arbitrary entry. Thread-safety: all
// methods from any thread; each of 16 shards has its own mutex, held only for a map operation.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace switchyard::server {

class PersonCache {
 public:
  // The stored properties; a null json means "no such person".
  using Properties = std::shared_ptr<const nlohmann::json>;

  explicit PersonCache(std::size_t capacity);

  // nullopt on a miss.
  std::optional<Properties> Lookup(std::int64_t project_id, const std::string& distinct_id) const;
  std::uint64_t Generation() const { return generation_.load(std::memory_order_acquire); }
  void Insert(std::int64_t project_id, const std::string& distinct_id, Properties properties,
              std::uint64_t generation_before_read);
  void Invalidate(std::int64_t project_id, const std::string& distinct_id);

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Properties> entries;
  };
  static std::string Key(std::int64_t project_id, const std::string& distinct_id);
  Shard& ShardFor(const std::string& key) const;

  const std::size_t per_shard_capacity_;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace switchyard::server
