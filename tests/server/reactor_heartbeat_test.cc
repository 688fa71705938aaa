#include "server/reactor_heartbeat.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

namespace switchyard::server {
namespace {

using std::chrono::milliseconds;

TEST(ReactorHeartbeatTest, BeatsUntilStoppedAndThenLetsTheLaneReturn) {
  boost::asio::io_context lane(1);
  ReactorHeartbeat heartbeat(lane, milliseconds(1));
  heartbeat.Start();
  // The heartbeat is the lane's only work: each run_one waits for the next beat.
  EXPECT_EQ(lane.run_one(), 1u);
  EXPECT_EQ(lane.run_one(), 1u);
  EXPECT_EQ(heartbeat.beats(), 2);
  heartbeat.Stop();
  // Runs out of work: the posted cancel ends the pending wait, and nothing re-arms it. (A bound,
  // so that a heartbeat that kept beating fails the test rather than hanging it.)
  lane.run_for(std::chrono::seconds(2));
  EXPECT_TRUE(lane.stopped());
  EXPECT_LE(heartbeat.beats(), 3);
}

TEST(ReactorHeartbeatTest, StoppedBeforeStartNeverBeats) {
  boost::asio::io_context lane(1);
  ReactorHeartbeat heartbeat(lane, milliseconds(1));
  heartbeat.Stop();
  heartbeat.Start();
  lane.run_for(std::chrono::seconds(2));
  EXPECT_TRUE(lane.stopped());
  EXPECT_EQ(heartbeat.beats(), 0);
}

TEST(ReactorHeartbeatTest, StopFromAnotherThreadWhileTheLaneRuns) {
  boost::asio::io_context lane(1);
  ReactorHeartbeat heartbeat(lane, milliseconds(1));
  heartbeat.Start();
  std::thread runner([&] { lane.run_for(std::chrono::seconds(5)); });
  while (heartbeat.beats() < 3) std::this_thread::yield();
  heartbeat.Stop();
  runner.join();
  EXPECT_TRUE(lane.stopped());  // ran out of work, rather than out of time
  EXPECT_GE(heartbeat.beats(), 3);
}

}  // namespace
}  // namespace switchyard::server
