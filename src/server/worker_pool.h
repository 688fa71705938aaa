// WorkerPool: the threads that run blocking work (SQLite reads and writes, fsync) apart from the
// I/O threads, so a slow disk never stalls the connections an I/O thread serves.
//
// Admission is bounded: at most `max_queued` jobs wait or run at once; past that Run answers 503
// with Retry-After at once instead of queueing without bound. A request awaiting its job holds no
// thread: its coroutine is suspended and resumes on its own executor when the job is done.
//
// Thread-safety: Run may be called from any coroutine on any thread. Stop() joins the threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/http_message.h"

namespace switchyard::server {

class WorkerPool {
 public:
  WorkerPool(int threads, std::size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `job` on a worker thread; 503 + Retry-After when the pool is full.
  boost::asio::awaitable<Response> Run(std::function<Response()> job);
  // Runs `job` on a worker thread; false (and `job` not run) when the pool is full.
  boost::asio::awaitable<bool> Execute(std::function<void()> job);

  // Jobs waiting or running now (for /metrics).
  std::size_t depth() const { return depth_.load(std::memory_order_relaxed); }
  int threads() const { return threads_; }
  void Stop();
  // The answer when the pool is full: 503 + Retry-After.
  static Response Busy();

 private:
  const int threads_;
  const std::size_t max_queued_;
  std::atomic<std::size_t> depth_{0};
  boost::asio::thread_pool pool_;
};

}  // namespace switchyard::server
