#include "server/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace switchyard::server {
namespace {

namespace net = boost::asio;

TEST(WorkerPoolTest, RunsTheJobOffTheCallingThreadAndHandsBackItsAnswer) {
  WorkerPool pool(2, 16);
  net::io_context ioc;
  std::thread::id caller = std::this_thread::get_id();
  std::thread::id ran_on;
  auto future = net::co_spawn(ioc, pool.Run([&] {
    ran_on = std::this_thread::get_id();
    Response r;
    r.status = 201;
    return r;
  }),
                              net::use_future);
  ioc.run();
  EXPECT_EQ(future.get().status, 201);
  EXPECT_NE(ran_on, caller);
  EXPECT_EQ(pool.depth(), 0u);
}

TEST(WorkerPoolTest, AFullPoolAnswers503AtOnceInsteadOfQueueing) {
  WorkerPool pool(1, 2);
  net::io_context ioc;
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> started{0};
  auto blocker = [&] {
    ++started;
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return release; });
    return Response{};
  };
  auto first = net::co_spawn(ioc, pool.Run(blocker), net::use_future);
  auto second = net::co_spawn(ioc, pool.Run(blocker), net::use_future);
  auto third = net::co_spawn(ioc, pool.Run(blocker), net::use_future);
  // Run the io_context until the third has been refused (it never reaches the pool).
  while (third.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) ioc.run_one();
  Response refused = third.get();
  EXPECT_EQ(refused.status, 503);
  ASSERT_FALSE(refused.headers.empty());
  EXPECT_EQ(refused.headers[0].first, "Retry-After");
  EXPECT_EQ(pool.depth(), 2u);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  cv.notify_all();
  ioc.run();
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  EXPECT_EQ(pool.depth(), 0u);
}

TEST(WorkerPoolTest, AThrowingJobReleasesItsSlot) {
  WorkerPool pool(1, 1);
  net::io_context ioc;
  auto failed =
      net::co_spawn(ioc, pool.Run([]() -> Response { throw std::runtime_error("boom"); }), net::use_future);
  ioc.run();
  EXPECT_THROW(failed.get(), std::runtime_error);
  EXPECT_EQ(pool.depth(), 0u);
  ioc.restart();
  auto next = net::co_spawn(ioc, pool.Run([] { return Response{}; }), net::use_future);
  ioc.run();
  EXPECT_EQ(next.get().status, 200);
}

}  // namespace
}  // namespace switchyard::server
