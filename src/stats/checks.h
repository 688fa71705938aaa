// Input checks the statistics share, each naming the offending field.
#pragma once

#include <cmath>
#include <string>

#include "switchyard/status.h"

namespace switchyard::stats {

// "<prefix>.<name>", or just name when prefix is empty.
inline std::string Field(const char* prefix, const char* name) {
  std::string out = prefix == nullptr ? "" : prefix;
  if (!out.empty()) out += '.';
  return out + name;
}

inline Status CheckFinite(double value, const std::string& field) {
  if (!std::isfinite(value)) return Status::InvalidArgument(field + " must be a finite number", field);
  return Status::Ok();
}

// A significance level strictly between 0 and 1.
inline Status CheckAlpha(double alpha) {
  if (!(alpha > 0 && alpha < 1))
    return Status::InvalidArgument("alpha must be between 0 and 1 (exclusive)", "alpha");
  return Status::Ok();
}

}  // namespace switchyard::stats
