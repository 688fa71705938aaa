// IoRunner: an io_context on its own thread, and a way for a test to run a coroutine there and
// wait for its result.
#pragma once

#include <future>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace switchyard::outbound {

class IoRunner {
 public:
  IoRunner() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~IoRunner() {
    work_.reset();
    io_.stop();
    thread_.join();
  }

  boost::asio::io_context& io() { return io_; }

  // `make` returns the awaitable; it runs on the io thread, this thread waits for its value.
  template <typename Make>
  auto Run(Make make) -> typename decltype(make())::value_type {
    using T = typename decltype(make())::value_type;
    std::promise<T> promise;
    auto future = promise.get_future();
    boost::asio::co_spawn(
        io_,
        [&promise, &make]() -> boost::asio::awaitable<void> {
          auto made = make();
          T value = co_await std::move(made);
          promise.set_value(std::move(value));
        },
        boost::asio::detached);
    return future.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace switchyard::outbound
