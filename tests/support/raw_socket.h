// RawSocket: a blocking loopback TCP connection for tests that must send what no HTTP client
// library would (malformed framing, partial heads, idle connections) and watch how the server
// answers or closes. Every read is bounded by a timeout, so a test never hangs.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard::testing {

class RawSocket {
 public:
  explicit RawSocket(int port);  // connects to 127.0.0.1:port; connected() says whether it did
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool Send(std::string_view bytes);
  // Sends as much of `bytes` as the peer takes within `timeout`; the bytes sent. Less than all of
  // them means the peer stopped reading (its receive window and our send buffer are full).
  std::size_t SendFor(std::string_view bytes, std::chrono::milliseconds timeout);
  void ShutdownWrite();
  // Everything that arrives until the peer closes, or until `timeout` passes.
  std::string ReadUntilClose(std::chrono::milliseconds timeout);
  // Reads until `needle` has arrived (or the peer closes, or `timeout`); returns all read so far.
  std::string ReadUntil(std::string_view needle, std::chrono::milliseconds timeout);
  // True when the peer closes the connection within `timeout` (data that arrives is discarded).
  bool ClosedWithin(std::chrono::milliseconds timeout);

 private:
  // One recv with a deadline: >0 bytes appended, 0 = closed, -1 = timed out or error.
  int ReadSome(std::string* out, std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
};

// Sends raw bytes and returns what the server answered before closing (for malformed HTTP).
std::string RawExchange(int port, std::string_view bytes,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

}  // namespace switchyard::testing
