// ConnectionPool: idle keep-alive connections per lane (the executor they run on: see
// OutboundClient) and origin (scheme, host, port), bounded per lane and origin. A connection is in
// the pool only between two responses; whoever takes it owns it.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "outbound/upstream_connection.h"

namespace switchyard::outbound {

class ConnectionPool {
 public:
  // A connection idle longer than `max_idle_time` is not handed out again (upstreams close idle
  // connections after some seconds; a write to one that did would only be retried).
  // Lanes are numbered 0 .. lanes-1.
  ConnectionPool(std::size_t lanes, std::size_t max_idle_per_origin, std::chrono::milliseconds max_idle_time);

  // The most recently used idle connection of `lane` to `origin`, or null.
  std::shared_ptr<UpstreamConnection> Take(std::size_t lane, const std::string& origin);
  // Keeps `connection` for reuse in its lane; past the bound the oldest idle one is dropped.
  void Put(const std::string& origin, std::shared_ptr<UpstreamConnection> connection);

  // Over all lanes.
  std::size_t IdleCount(const std::string& origin);

 private:
  const std::size_t max_idle_per_origin_;
  const std::chrono::milliseconds max_idle_time_;
  Mutex mutex_;
  using Idle = std::map<std::string, std::deque<std::shared_ptr<UpstreamConnection>>, std::less<>>;
  std::vector<Idle> idle_ GUARDED_BY(mutex_);  // by lane
};

}  // namespace switchyard::outbound
