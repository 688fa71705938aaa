#include "outbound/connection_pool.h"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace switchyard::outbound {

namespace {

// Closing touches the socket, so it happens on the connection's executor.
void CloseOnItsExecutor(std::shared_ptr<UpstreamConnection> connection) {
  const auto& executor = connection->executor();
  boost::asio::post(executor, [connection = std::move(connection)] { connection->Close(); });
}

}  // namespace

ConnectionPool::ConnectionPool(std::size_t lanes, std::size_t max_idle_per_origin,
                               std::chrono::milliseconds max_idle_time)
    : max_idle_per_origin_(max_idle_per_origin),
      max_idle_time_(max_idle_time),
      idle_(std::max<std::size_t>(lanes, 1)) {}

std::shared_ptr<UpstreamConnection> ConnectionPool::Take(std::size_t lane, const std::string& origin) {
  auto now = UpstreamConnection::Clock::now();
  std::vector<std::shared_ptr<UpstreamConnection>> expired;  // (an empty deque would allocate)
  std::shared_ptr<UpstreamConnection> found;
  {
    MutexLock lock(mutex_);
    Idle& idle = idle_.at(lane);
    auto it = idle.find(origin);
    if (it == idle.end()) return nullptr;
    auto& list = it->second;
    while (!list.empty() && now - list.front()->idle_since > max_idle_time_) {
      expired.push_back(std::move(list.front()));
      list.pop_front();
    }
    if (!list.empty()) {
      found = std::move(list.back());
      list.pop_back();
    }
    // An emptied list stays: the next Put would allocate it again, once per call under load.
    // Origins come from the model registry, so there are few.
  }
  for (auto& connection : expired) CloseOnItsExecutor(std::move(connection));
  if (found) found->reused = true;
  return found;
}

void ConnectionPool::Put(const std::string& origin, std::shared_ptr<UpstreamConnection> connection) {
  connection->idle_since = UpstreamConnection::Clock::now();
  std::shared_ptr<UpstreamConnection> dropped;
  {
    MutexLock lock(mutex_);
    auto& list = idle_.at(connection->lane())[origin];
    list.push_back(std::move(connection));
    if (list.size() > max_idle_per_origin_) {
      dropped = std::move(list.front());
      list.pop_front();
    }
  }
  if (dropped) CloseOnItsExecutor(std::move(dropped));
}

std::size_t ConnectionPool::IdleCount(const std::string& origin) {
  MutexLock lock(mutex_);
  std::size_t count = 0;
  for (const Idle& idle : idle_) {
    auto it = idle.find(origin);
    if (it != idle.end()) count += it->second.size();
  }
  return count;
}

}  // namespace switchyard::outbound
