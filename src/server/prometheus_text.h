// PrometheusText: writes the Prometheus text exposition format (version 0.0.4): one
// "# HELP" and "# TYPE" header per family, then its samples, with label values and help text
// escaped as the format requires. Only a writer: it holds no metric state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/latency_histogram.h"

namespace switchyard::server {

inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

class PrometheusText {
 public:
  using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

  // type: "counter", "gauge" or "histogram". Each family is written once, before its samples.
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const Labels& labels, double value);
  void Sample(std::string_view name, const Labels& labels, std::uint64_t value);
  void Sample(std::string_view name, const Labels& labels, std::int64_t value);
  // name_bucket{...,le="…"} for every bound and +Inf, then name_sum and name_count.
  void Histogram(std::string_view name, const Labels& labels, const LatencyHistogram::Snapshot& histogram);

  const std::string& text() const { return text_; }

 private:
  void SampleStart(std::string_view name, const Labels& labels, std::string_view le = {});

  std::string text_;
};

}  // namespace switchyard::server
