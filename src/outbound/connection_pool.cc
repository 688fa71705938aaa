#include "outbound/connection_pool.h"

#include <boost/asio/post.hpp>

namespace switchyard::outbound {

namespace {

// Closing touches the socket, so it happens on the connection's strand.
void CloseOnStrand(std::shared_ptr<UpstreamConnection> connection) {
  const auto& executor = connection->executor();
  boost::asio::post(executor, [connection = std::move(connection)] { connection->Close(); });
}

}  // namespace

ConnectionPool::ConnectionPool(std::size_t max_idle_per_origin, std::chrono::milliseconds max_idle_time)
    : max_idle_per_origin_(max_idle_per_origin), max_idle_time_(max_idle_time) {}

std::shared_ptr<UpstreamConnection> ConnectionPool::Take(const std::string& origin) {
  auto now = UpstreamConnection::Clock::now();
  std::deque<std::shared_ptr<UpstreamConnection>> expired;
  std::shared_ptr<UpstreamConnection> found;
  {
    MutexLock lock(mutex_);
    auto it = idle_.find(origin);
    if (it == idle_.end()) return nullptr;
    auto& list = it->second;
    while (!list.empty() && now - list.front()->idle_since > max_idle_time_) {
      expired.push_back(std::move(list.front()));
      list.pop_front();
    }
    if (!list.empty()) {
      found = std::move(list.back());
      list.pop_back();
    }
    if (list.empty()) idle_.erase(it);
  }
  for (auto& connection : expired) CloseOnStrand(std::move(connection));
  if (found) found->reused = true;
  return found;
}

void ConnectionPool::Put(const std::string& origin, std::shared_ptr<UpstreamConnection> connection) {
  connection->idle_since = UpstreamConnection::Clock::now();
  std::shared_ptr<UpstreamConnection> dropped;
  {
    MutexLock lock(mutex_);
    auto& list = idle_[origin];
    list.push_back(std::move(connection));
    if (list.size() > max_idle_per_origin_) {
      dropped = std::move(list.front());
      list.pop_front();
    }
  }
  if (dropped) CloseOnStrand(std::move(dropped));
}

std::size_t ConnectionPool::IdleCount(const std::string& origin) {
  MutexLock lock(mutex_);
  auto it = idle_.find(origin);
  return it == idle_.end() ? 0 : it->second.size();
}

}  // namespace switchyard::outbound
