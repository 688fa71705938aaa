// ResponseStream: the body of a streamed response (chunked transfer; Server-Sent Events), produced
// piece by piece. The transport awaits each piece and writes it before asking for the next, so a
// slow reader slows the producer instead of making the server buffer (backpressure), and it calls
// Cancel when the client goes away so the producer can stop its upstream work.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>

namespace switchyard::server {

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // The next piece of the body; nullopt ends the response. Runs on the connection's strand.
  virtual boost::asio::awaitable<std::optional<std::string>> Next() = 0;
  // The client disconnected (or the server is stopping): stop producing. Called on the
  // connection's strand, possibly while Next is suspended; Next should then finish soon.
  virtual void Cancel() = 0;
};

}  // namespace switchyard::server
