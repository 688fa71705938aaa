#include "server/stored_properties.h"

#include <functional>

#include "server/evaluation_inputs.h"

namespace switchyard::server {

boost::asio::awaitable<Result<PersonCache::Properties>> StoredProperties(ServerContext& ctx,
                                                                         std::int64_t project_id,
                                                                         const std::string& distinct_id) {
  if (ctx.persons != nullptr) {
    if (auto cached = ctx.persons->Lookup(project_id, distinct_id)) co_return std::move(*cached);
  }
  std::uint64_t generation = ctx.persons != nullptr ? ctx.persons->Generation() : 0;
  Result<PersonCache::Properties> read = Status::Internal("not read");
  std::function<void()> job = [&] { read = ReadStoredProperties(ctx.store, project_id, distinct_id); };
  if (ctx.workers == nullptr) {
    job();
  } else {
    // Named, not a temporary inside the co_await: GCC 12 can destroy such temporaries twice.
    auto on_worker = ctx.workers->Execute(std::move(job));
    bool ran = co_await std::move(on_worker);
    if (!ran) co_return Status::Unavailable("the server's worker pool is full; retry shortly");
  }
  if (read.ok() && ctx.persons != nullptr) ctx.persons->Insert(project_id, distinct_id, *read, generation);
  co_return read;
}

}  // namespace switchyard::server
