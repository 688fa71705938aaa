// ConnectionPool: a fixed set of reader connections handed out one per caller. With WAL, readers
// see the last committed state and never wait for the writer, so reads (GetPerson on every
// evaluate request) run in parallel instead of queueing behind the writer's mutex. The pool's
// mutex is held only to take or return a connection, never while a query runs.
#pragma once

#include <condition_variable>
#include <memory>
#include <vector>

#include "common/thread_annotations.h"
#include "store/sqlite_connection.h"

namespace switchyard::store::sqlite {

// Thread-safety: Acquire may be called from any thread; a Lease belongs to the thread holding it.
// The pool must outlive every Lease.
class ConnectionPool {
 public:
  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections)
      : idle_(std::move(connections)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Exclusive use of one connection until destruction, which returns it to the pool.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.Release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Blocks while every connection is leased.
  Lease Acquire() EXCLUDES(mu_);

 private:
  void Release(std::unique_ptr<Connection> connection) EXCLUDES(mu_);

  Mutex mu_;
  std::condition_variable_any available_;  // _any: it waits on the annotated Mutex
  std::vector<std::unique_ptr<Connection>> idle_ GUARDED_BY(mu_);
};

}  // namespace switchyard::store::sqlite
