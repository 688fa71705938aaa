#include "server/person_cache.h"

#include <functional>

namespace switchyard::server {

PersonCache::PersonCache(std::size_t capacity) : per_shard_capacity_((capacity + kShards - 1) / kShards) {}

std::string PersonCache::Key(std::int64_t project_id, const std::string& distinct_id) {
  std::string key = std::to_string(project_id);
  key.push_back('\n');  // cannot occur in a decimal id, so keys never collide
  key += distinct_id;
  return key;
}

PersonCache::Shard& PersonCache::ShardFor(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

std::optional<PersonCache::Properties> PersonCache::Lookup(std::int64_t project_id,
                                                           const std::string& distinct_id) const {
  if (per_shard_capacity_ == 0) return std::nullopt;
  std::string key = Key(project_id, distinct_id);
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return std::nullopt;
  return it->second;
}

void PersonCache::Insert(std::int64_t project_id, const std::string& distinct_id, Properties properties,
                         std::uint64_t generation_before_read) {
  if (per_shard_capacity_ == 0) return;
  std::string key = Key(project_id, distinct_id);
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mutex);
  // Checked under the shard lock that Invalidate also takes, after its bump: a write committed
  // after our read began is seen here.
  if (generation_.load(std::memory_order_acquire) != generation_before_read) return;
  if (shard.entries.size() >= per_shard_capacity_) shard.entries.erase(shard.entries.begin());
  shard.entries.insert_or_assign(std::move(key), std::move(properties));
}

void PersonCache::Invalidate(std::int64_t project_id, const std::string& distinct_id) {
  std::string key = Key(project_id, distinct_id);
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mutex);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  shard.entries.erase(key);
}

}  // namespace switchyard::server
