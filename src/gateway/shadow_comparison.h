// ShadowComparisons: the paired comparison of a route's shadow model against the baseline. Each
// request mirrored to the shadow gives one pair (same prompt, same moment), so differences in
// latency, tokens, cost and response length are paired differences: the per-request noise both
// share (prompt length, upstream load) cancels, and a paired t-test from the stats engine says
// whether the shadow differs. Success and identical answers are counted.
//
// Thread-safety: Add and Report from any thread (one mutex; a pair is added once per mirrored
// request, far below the request rate).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "common/thread_annotations.h"
#include "switchyard/stats.h"

namespace switchyard::gateway {

// One side of a pair: what the call gave.
struct CallOutcome {
  std::string model;  // name@version
  bool success = false;
  double latency_ms = 0;
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  double cost = 0;
  std::size_t response_bytes = 0;  // the generated text's length
  std::string text;                // the generated text (bounded), to compare
};

class ShadowComparisons {
 public:
  void Add(std::int64_t project_id, const std::string& route, const CallOutcome& baseline,
           const CallOutcome& shadow);
  // The route's comparison: pair counts, success of each side, identical answers, and for each
  // of latency_ms, output_tokens, cost, response_bytes the mean of both sides and the paired
  // difference (shadow − baseline) with a 95 % CI and p-value once there are 2 pairs.
  nlohmann::json Report(std::int64_t project_id, const std::string& route, double alpha = 0.05) const;

 private:
  struct Measure {
    stats::MeanSums baseline, shadow, difference;
    void Add(double b, double s) {
      baseline.Add(b);
      shadow.Add(s);
      difference.Add(s - b);
    }
  };
  struct Pairs {
    std::int64_t n = 0;
    std::int64_t baseline_successes = 0, shadow_successes = 0, both_succeeded = 0, identical = 0;
    std::string baseline_model, shadow_model;  // of the latest pair
    Measure latency_ms, output_tokens, cost, response_bytes;
  };

  mutable Mutex mu_;
  std::map<std::pair<std::int64_t, std::string>, Pairs> routes_ GUARDED_BY(mu_);
};

}  // namespace switchyard::gateway
