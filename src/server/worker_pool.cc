#include "server/worker_pool.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/api_error.h"

namespace switchyard::server {

namespace net = boost::asio;

WorkerPool::WorkerPool(int threads, std::size_t max_queued)
    : threads_(threads), max_queued_(max_queued), pool_(static_cast<std::size_t>(threads)) {}

WorkerPool::~WorkerPool() {
  Stop();
}

void WorkerPool::Stop() {
  pool_.join();
}

net::awaitable<bool> WorkerPool::Execute(std::function<void()> job) {
  if (depth_.fetch_add(1, std::memory_order_relaxed) >= max_queued_) {
    depth_.fetch_sub(1, std::memory_order_relaxed);
    co_return false;
  }
  // Decrements on every path out, including an exception from the job.
  struct DepthGuard {
    std::atomic<std::size_t>& depth;
    ~DepthGuard() { depth.fetch_sub(1, std::memory_order_relaxed); }
  } guard{depth_};
  // co_spawn onto the pool; awaiting it resumes this coroutine on its own executor (the
  // connection's strand), so the job's effects are handed back without a lock.
  // Every argument is a named object, not a temporary inside the co_await: GCC 12 can destroy such
  // temporaries twice.
  auto task = [job = std::move(job)]() -> net::awaitable<void> {
    job();
    co_return;
  };
  auto on_pool = net::co_spawn(pool_.get_executor(), std::move(task), net::use_awaitable);
  co_await std::move(on_pool);
  co_return true;
}

net::awaitable<Response> WorkerPool::Run(std::function<Response()> job) {
  Response response;
  std::function<void()> fill = [&response, &job] { response = job(); };
  auto execute = Execute(std::move(fill));
  bool ran = co_await std::move(execute);
  if (!ran) co_return Busy();
  co_return response;
}

Response WorkerPool::Busy() {
  Response busy = ErrorResponse(503, "overloaded", "the server's worker pool is full; retry shortly");
  busy.headers.emplace_back("Retry-After", "1");
  return busy;
}

}  // namespace switchyard::server
