#include "server/blocking_work.h"

#include "server/worker_pool.h"

namespace switchyard::server {

boost::asio::awaitable<Status> RunBlocking(ServerContext& ctx, std::function<void()> job) {
  if (ctx.workers == nullptr) {
    job();
    co_return Status::Ok();
  }
  // Named, not a temporary inside the co_await: GCC 12 can destroy such temporaries twice.
  auto on_worker = ctx.workers->Execute(std::move(job));
  const bool ran = co_await std::move(on_worker);
  if (!ran) co_return Status::Unavailable("the server's worker pool is full; retry shortly");
  co_return Status::Ok();
}

}  // namespace switchyard::server
