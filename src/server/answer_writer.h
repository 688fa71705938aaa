// AnswerWriter: writes a JSON answer made of many small pieces into a buffer through a raw
// pointer. Each std::string::append costs a capacity check and a memcpy call, and an answer for 20
// flags is ~200 pieces: written that way, /flags spent ~9 instructions per output byte (callgrind,
// 2026-11-30). Here the caller reserves room for a bounded group of pieces once (Room), literals
// copy with a length known at compile time, and numbers are written in place.
//
// Strings go through Quoted, which makes the same text as core::AppendJsonString (so answers do
// not depend on which writer made them); Room must then count QuotedBound(text) for each.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "core/json_object_writer.h"

namespace switchyard::server {

class AnswerWriter {
 public:
  // The most bytes Quoted(text) writes: nlohmann's escapes make at most 6 bytes of one (\u001f),
  // plus the two quotes.
  static constexpr std::size_t QuotedBound(std::string_view text) { return 6 * text.size() + 2; }
  static constexpr std::size_t kIntBound = 20;  // -9223372036854775808

  // Room for `initial` bytes to begin with.
  explicit AnswerWriter(std::size_t initial) { Grow(initial); }
  AnswerWriter(const AnswerWriter&) = delete;
  AnswerWriter& operator=(const AnswerWriter&) = delete;

  // Makes sure `bytes` more can be written without another check.
  void Room(std::size_t bytes) {
    if (static_cast<std::size_t>(end_ - next_) < bytes) Grow(bytes);
  }

  template <std::size_t N>
  void Literal(const char (&text)[N]) {
    std::memcpy(next_, text, N - 1);
    next_ += N - 1;
  }
  void Raw(std::string_view text) {
    std::memcpy(next_, text.data(), text.size());
    next_ += text.size();
  }
  void Char(char c) { *next_++ = c; }

  void Int(std::int64_t value) {
    if (value >= 0 && value < 10) {
      Char(static_cast<char>('0' + value));
      return;
    }
    next_ = std::to_chars(next_, next_ + kIntBound, value).ptr;
  }

  void Quoted(std::string_view text) {
    if (!core::IsPlainJsonText(text)) {
      QuotedWithEscapes(text);
      return;
    }
    Char('"');
    Raw(text);
    Char('"');
  }

  // The answer written so far.
  std::string Take() const { return std::string(buffer_.get(), next_); }

 private:
  // The buffer is not zero-filled first (std::string::resize would be: ~1 instruction per byte).
  void Grow(std::size_t bytes) {
    const std::size_t used = buffer_ ? static_cast<std::size_t>(next_ - buffer_.get()) : 0;
    const std::size_t capacity = std::max(2 * static_cast<std::size_t>(end_ - buffer_.get()), used + bytes);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (used > 0) std::memcpy(grown.get(), buffer_.get(), used);
    buffer_ = std::move(grown);
    next_ = buffer_.get() + used;
    end_ = buffer_.get() + capacity;
  }

  void QuotedWithEscapes(std::string_view text) {
    std::string escaped;
    core::AppendJsonString(escaped, text);
    Raw(escaped);
  }

  std::unique_ptr<char[]> buffer_;
  char* next_ = nullptr;  // where the next byte goes
  char* end_ = nullptr;   // the end of the buffer
};

}  // namespace switchyard::server
