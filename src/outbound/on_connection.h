// OnConnection: runs a connection's coroutine on that connection's executor and awaits its value.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "outbound/upstream_connection.h"

namespace switchyard::outbound {

// `make` returns the awaitable. When this thread is the one that runs the connection (a server
// lane), it is awaited right here: co_spawn would cost two posts and a new coroutine thread for
// every exchange and every piece of a stream. Otherwise it is co_spawned onto the connection's
// executor, and the caller resumes on its own.
template <typename Make>
auto OnConnection(const UpstreamConnection& connection, Make make) -> decltype(make()) {
  if (connection.RunsOnThisThread()) {
    auto made = make();  // named: GCC 12 can destroy a temporary inside co_await twice
    co_return co_await std::move(made);
  }
  auto spawned = boost::asio::co_spawn(connection.executor(), std::move(make), boost::asio::use_awaitable);
  co_return co_await std::move(spawned);
}

}  // namespace switchyard::outbound
