#include "outbound/upstream_stream.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "outbound/on_connection.h"

namespace switchyard::outbound {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

struct Piece {
  std::string data;
  bool ended = false;  // the body is complete (data may still hold its last piece)
  bool failed = false;
  bool timed_out = false;
  bool total_expired = false;
  std::string detail;
};

// On the connection's executor: the next non-empty piece, or the end, or a failure.
net::awaitable<Piece> ReadPiece(std::shared_ptr<UpstreamConnection> connection,
                                std::shared_ptr<ConnectionPool> pool,
                                std::shared_ptr<UpstreamStream::Flags> flags, std::string origin,
                                std::chrono::milliseconds idle, Clock::time_point deadline) {
  Piece piece;
  while (true) {
    if (flags->cancelled.load()) {
      connection->Close();
      piece.failed = true;
      piece.detail = "cancelled";
      co_return piece;
    }
    if (connection->BodyDone()) {
      piece.ended = true;
      // Released here, on its executor, so that a Cancel posted later cannot close a connection
      // another request took from the pool in the meantime.
      flags->released.store(true);
      if (connection->Reusable()) {
        pool->Put(origin, std::move(connection));
      } else {
        connection->Close();
      }
      co_return piece;
    }
    if (!piece.data.empty()) co_return piece;
    auto idle_deadline = std::min(Clock::now() + idle, deadline);
    beast::error_code ec = co_await connection->ReadBodyPiece(&piece.data, idle_deadline);
    if (ec) {
      connection->Close();
      piece.failed = true;
      piece.total_expired = Clock::now() >= deadline;
      piece.timed_out = ec == beast::error::timeout || piece.total_expired;
      piece.detail = flags->cancelled.load() ? "cancelled" : ec.message();
      co_return piece;
    }
  }
}

}  // namespace

UpstreamStream::UpstreamStream(ExchangeResult head, std::shared_ptr<ConnectionPool> pool,
                               const ExchangePlan& plan, int attempts)
    : status_(head.status),
      headers_(std::move(head.headers)),
      attempts_(attempts),
      connection_(std::move(head.connection)),
      pool_(std::move(pool)),
      origin_(plan.origin),
      timeouts_(plan.timeouts),
      deadline_(plan.deadline) {}

UpstreamStream::~UpstreamStream() {
  if (!ended_) Cancel();
}

net::awaitable<Result<std::optional<std::string>>> UpstreamStream::Next() {
  if (ended_) co_return std::optional<std::string>();
  if (flags_->cancelled.load())
    co_return Status::Unavailable("the stream from " + origin_ + " was cancelled");
  auto connection = connection_;
  auto pool = pool_;
  auto flags = flags_;
  std::string origin = origin_;
  auto idle = timeouts_.idle;
  auto deadline = deadline_;
  // Named, not a temporary inside the co_await: GCC 12 can destroy such temporaries twice.
  auto read = [connection, pool, flags, origin, idle, deadline]() {
    return ReadPiece(connection, pool, flags, origin, idle, deadline);
  };
  auto on_connection = OnConnection(*connection, std::move(read));
  Piece piece = co_await std::move(on_connection);
  if (piece.failed) {
    ended_ = true;
    if (piece.detail == "cancelled")
      co_return Status::Unavailable("the stream from " + origin_ + " was cancelled");
    if (piece.timed_out && piece.total_expired)
      co_return Status::DeadlineExceeded("the stream from " + origin_ + " exceeded its total timeout of " +
                                         std::to_string(timeouts_.total.count()) + " ms");
    if (piece.timed_out)
      co_return Status::DeadlineExceeded("the stream from " + origin_ + " stalled past the idle timeout of " +
                                         std::to_string(timeouts_.idle.count()) + " ms");
    co_return Status::Unavailable("the stream from " + origin_ + " broke off: " + piece.detail);
  }
  if (piece.ended) {
    ended_ = true;
    connection_.reset();
    if (piece.data.empty()) co_return std::optional<std::string>();
  }
  co_return std::optional<std::string>(std::move(piece.data));
}

void UpstreamStream::Cancel() {
  flags_->cancelled.store(true);
  if (!connection_) return;
  const auto& executor = connection_->executor();
  net::post(executor, [connection = connection_, flags = flags_] {
    if (!flags->released.load()) connection->Close();
  });
}

}  // namespace switchyard::outbound
