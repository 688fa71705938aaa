// A user's stored person properties as every evaluation route reads them: from the PersonCache
// when it holds them (no thread hop), else from the store on the worker pool (then cached), so
// that a store read never blocks an I/O thread.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>

#include "server/person_cache.h"
#include "server/server_context.h"
#include "switchyard/status.h"

namespace switchyard::server {

// kUnavailable when the worker pool is full (answer with PersonReadFailedResponse).
boost::asio::awaitable<Result<PersonCache::Properties>> StoredProperties(ServerContext& ctx,
                                                                         std::int64_t project_id,
                                                                         const std::string& distinct_id);

}  // namespace switchyard::server
