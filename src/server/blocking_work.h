// Blocking work (a store read) from a coroutine on an I/O thread: run on the worker pool, resumed
// when it has run, so that no I/O thread ever blocks. Servers built without a pool (some tests)
// run it inline.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>

#include <functional>

#include "server/server_context.h"
#include "switchyard/status.h"

namespace switchyard::server {

// Unavailable (and `job` not run) when the worker pool is full: answer 503, the client retries.
boost::asio::awaitable<Status> RunBlocking(ServerContext& ctx, std::function<void()> job);

}  // namespace switchyard::server
