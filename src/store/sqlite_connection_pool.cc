#include "store/sqlite_connection_pool.h"

namespace switchyard::store::sqlite {

ConnectionPool::Lease ConnectionPool::Acquire() {
  MutexLock lock(mu_);
  // A loop rather than wait(lock, predicate): the analysis checks a lambda on its own, where it
  // cannot know that mu_ is held.
  while (idle_.empty()) available_.wait(mu_);
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(connection));
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  {
    MutexLock lock(mu_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace switchyard::store::sqlite
