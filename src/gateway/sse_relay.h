// SseRelay: passes an upstream's Server-Sent Events stream to the client event by event while
// reading what the gateway must know from it: the usage chunk (and whether to hide it), the time
// of the first token, a mid-stream error, [DONE], and the generated text (for shadow pairing).
//
// Upstream bytes arrive split anywhere; events are forwarded only whole, so a client never sees
// half an event even if the upstream breaks mid-stream. Memory is bounded: an event longer than
// kMaxEventBytes switches the relay to plain pass-through (nothing more is read from it).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/usage.h"

namespace switchyard::gateway {

class SseRelay {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxEventBytes = 1 << 20;
  static constexpr std::size_t kMaxContentBytes = 256 * 1024;

  // hide_usage_chunk: the client did not ask for include_usage, so the usage-only chunk the
  // gateway asked for is dropped (its usage is still read).
  explicit SseRelay(bool hide_usage_chunk) : hide_usage_chunk_(hide_usage_chunk) {}

  // Upstream bytes in; the bytes to send to the client now out (possibly empty).
  std::string Feed(std::string_view bytes, Clock::time_point now);
  // The end of the upstream body: whatever incomplete event is left, as it is.
  std::string Finish();

  const std::optional<TokenUsage>& usage() const { return usage_; }
  std::optional<Clock::time_point> first_token_at() const { return first_token_at_; }
  bool done() const { return done_; }
  // The message of a `data: {"error": ...}` event, if one came.
  const std::optional<std::string>& error() const { return error_; }
  // The generated text (choices[0].delta.content and Responses' output_text deltas), bounded.
  const std::string& content() const { return content_; }
  std::size_t content_bytes() const { return content_bytes_; }

 private:
  // Reads one whole event; false when it is to be dropped.
  bool Inspect(std::string_view event, Clock::time_point now);
  void AddContent(std::string_view text);

  bool hide_usage_chunk_;
  bool passthrough_ = false;
  std::string pending_;
  std::size_t scanned_ = 0;  // bytes of pending_ already searched for an event end
  std::optional<TokenUsage> usage_;
  std::optional<Clock::time_point> first_token_at_;
  bool done_ = false;
  std::optional<std::string> error_;
  std::string content_;
  std::size_t content_bytes_ = 0;
};

}  // namespace switchyard::gateway
