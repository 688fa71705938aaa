// The one RE2 configuration used to validate and to evaluate `regex` filters, so that a pattern
// accepted at validation is compiled the same way at Build. RE2 matches in linear time; the
// memory cap bounds what a hostile pattern (e.g. a huge counted repetition) can make it allocate.
#pragma once

#include <re2/re2.h>

namespace switchyard::core {

inline constexpr int kRegexMaxMemBytes = 2 << 20;

inline RE2::Options RegexOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kRegexMaxMemBytes);
  return options;
}

}  // namespace switchyard::core
