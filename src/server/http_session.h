// One HTTP connection: read a request, handle it, write the response, repeat while keep-alive.
// Internal to http_server.cc; lives on its own strand.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/http_server.h"

namespace switchyard::server {

class HttpSession;

// What sessions need from the server, shared so that it outlives every session.
struct SessionHost {
  HttpLimits limits;
  RequestHandler handler;
  std::atomic<bool> stopping{false};
  virtual void OnSessionEnd(HttpSession* session) = 0;
  virtual ~SessionHost() = default;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<SessionHost> host);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void Start();
  // Answers 503 (too many connections) and closes, without reading a request.
  void Reject();
  // Called (on any thread) at shutdown: closes the connection if it is waiting for a request,
  // or in any case when `force` is set (the shutdown deadline passed).
  void CloseIfIdle(bool force);

 private:
  using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

  void Read();
  void OnRead(boost::beast::error_code ec);
  void Write(Response response, unsigned version, bool keep_alive);
  void OnWrite(bool keep_alive, boost::beast::error_code ec);
  void Close();
  // After an error answered before the whole request was read: stop sending, discard what the
  // client still sends (bounded), then close, so that the client reads our answer instead of a
  // connection reset.
  void LingerAndClose();
  void Discard(std::size_t discarded);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<BeastResponse> response_;
  std::shared_ptr<SessionHost> host_;
  std::shared_ptr<std::array<char, 16384>> discard_buffer_;
  bool linger_ = false;
  bool idle_ = false;  // waiting for the first byte of a request; touched only on the strand
};

}  // namespace switchyard::server
