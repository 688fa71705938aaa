// EventPipeline with real coroutines on an io_context: appends resume on their own executor once
// committed, concurrent appends share transactions, subscribers see only new events, identify
// writes persons and makes the person cache forget them.
#include "server/event_pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include "events/memory_event_log.h"
#include "server/person_cache.h"
#include "store/memory_store.h"

namespace switchyard::server {
namespace {

namespace net = boost::asio;

events::Event MakeEvent(int n) {
  events::Event event;
  event.project_id = 1;
  char uuid[40];
  std::snprintf(uuid, sizeof uuid, "00000000-0000-7000-8000-%012d", n);
  event.uuid = uuid;
  event.event = "e";
  event.distinct_id = "u";
  return event;
}

TEST(EventPipeline, ResumesEachAppendOnItsOwnExecutorOnceCommitted) {
  events::MemoryEventLog log;
  auto store = store::NewMemoryStore();
  // Before the pipeline: its writer thread posts completions into `io`, so it must be joined
  // (the pipeline destroyed) before `io` is.
  net::io_context io;
  EventPipeline pipeline(log, *store, nullptr, {});
  std::atomic<std::size_t> seen{0};
  pipeline.Subscribe([&](const std::vector<const events::Event*>& stored) { seen += stored.size(); });

  std::atomic<int> ok{0};
  std::atomic<int> on_own_strand{0};
  std::atomic<std::size_t> duplicates{0};
  constexpr int kRequests = 64;
  for (int r = 0; r < kRequests; ++r) {
    auto strand = net::make_strand(io);
    net::co_spawn(
        strand,
        [&, r, strand]() -> net::awaitable<void> {
          events::EventBatch batch;
          batch.events = {MakeEvent(r), MakeEvent(r + 1)};  // each overlaps the next request's
          Status committed = co_await pipeline.Append(batch, 100);
          if (committed.ok()) ++ok;
          if (strand.running_in_this_thread()) ++on_own_strand;
          duplicates += batch.events.size() - batch.stored;
        },
        net::detached);
  }
  std::thread second([&] { io.run(); });
  io.run();
  second.join();
  EXPECT_EQ(ok, kRequests);
  EXPECT_EQ(on_own_strand, kRequests);
  EXPECT_EQ(seen, static_cast<std::size_t>(kRequests + 1));  // uuids 0..64, each once
  EXPECT_EQ(duplicates, static_cast<std::size_t>(kRequests - 1));
  auto stored = log.Query({.project_id = 1, .limit = 1000});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->size(), static_cast<std::size_t>(kRequests + 1));
}

TEST(EventPipeline, IdentifyWritesThePersonAndInvalidatesTheCache) {
  events::MemoryEventLog log;
  auto store = store::NewMemoryStore();
  auto project = store->CreateProject("p", "P", store::Actor("test"));
  ASSERT_TRUE(project.ok());
  PersonCache cache(100);
  cache.Insert(project->id, "ada", std::make_shared<const nlohmann::json>(), cache.Generation());
  ASSERT_TRUE(cache.Lookup(project->id, "ada"));
  // Before the pipeline: its writer thread posts completions into `io`, so it must be joined
  // (the pipeline destroyed) before `io` is.
  net::io_context io;
  EventPipeline pipeline(log, *store, &cache, {});

  Status outcome = Status::Internal("not run");
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        store::PersonUpdate update{project->id, "ada", {{"plan", "pro"}}, nullptr, nullptr, ""};
        outcome = co_await pipeline.Identify(update, 64);
      },
      net::detached);
  io.run();
  ASSERT_TRUE(outcome.ok()) << outcome.ToString();
  EXPECT_FALSE(cache.Lookup(project->id, "ada"));
  auto person = store->GetPerson(project->id, "ada");
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->properties, (nlohmann::json{{"plan", "pro"}}));
}

TEST(EventPipeline, RefusesAfterStop) {
  events::MemoryEventLog log;
  auto store = store::NewMemoryStore();
  // Before the pipeline: its writer thread posts completions into `io`, so it must be joined
  // (the pipeline destroyed) before `io` is.
  net::io_context io;
  EventPipeline pipeline(log, *store, nullptr, {});
  pipeline.Stop();
  Status outcome;
  net::co_spawn(
      io,
      [&]() -> net::awaitable<void> {
        events::EventBatch batch;
        batch.events = {MakeEvent(1)};
        outcome = co_await pipeline.Append(batch, 100);
      },
      net::detached);
  io.run();
  EXPECT_EQ(outcome.code(), StatusCode::kUnavailable);
  PrometheusText text;
  pipeline.AppendMetrics(text);
  EXPECT_NE(text.text().find("switchyard_ingest_rejections_total{reason=\"queue_full\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace switchyard::server
