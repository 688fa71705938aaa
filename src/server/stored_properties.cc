#include "server/stored_properties.h"

#include <functional>

#include "server/blocking_work.h"
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
  auto run = RunBlocking(ctx, std::move(job));
  const Status ran = co_await std::move(run);
  if (!ran.ok()) co_return ran;
  if (read.ok() && ctx.persons != nullptr) ctx.persons->Insert(project_id, distinct_id, *read, generation);
  co_return read;
}

}  // namespace switchyard::server
