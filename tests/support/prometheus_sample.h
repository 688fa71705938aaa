// Test helpers for Prometheus text: find a sample's value by its exact series, and a clock that
// tests advance by hand.
#pragma once

#include <chrono>
#include <optional>
#include <sstream>
#include <string>

#include "store/steady_clock.h"

namespace switchyard::testing {

// The value of the line "SERIES VALUE" (series as written, labels included), or nullopt.
inline std::optional<double> SampleValue(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

class ManualClock {
 public:
  SteadyClock AsClock() {
    return [this] { return now_; };
  }
  void Advance(std::chrono::nanoseconds by) { now_ += by; }

 private:
  std::chrono::steady_clock::time_point now_{};
};

}  // namespace switchyard::testing
