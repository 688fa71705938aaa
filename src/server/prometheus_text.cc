#include "server/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace switchyard::server {
namespace {

void AppendEscaped(std::string& out, std::string_view text, bool quotes) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

template <typename Number>
void AppendNumber(std::string& out, Number value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, ec == std::errc() ? end : buffer);
}

}  // namespace

void PrometheusText::Family(std::string_view name, std::string_view type, std::string_view help) {
  text_ += "# HELP ";
  text_ += name;
  text_ += ' ';
  AppendEscaped(text_, help, false);
  text_ += "\n# TYPE ";
  text_ += name;
  text_ += ' ';
  text_ += type;
  text_ += '\n';
}

void PrometheusText::SampleStart(std::string_view name, const Labels& labels, std::string_view le) {
  text_ += name;
  if (!labels.empty() || !le.empty()) {
    text_ += '{';
    bool first = true;
    auto label = [&](std::string_view key, std::string_view value) {
      if (!first) text_ += ',';
      first = false;
      text_ += key;
      text_ += "=\"";
      AppendEscaped(text_, value, true);
      text_ += '"';
    };
    for (const auto& [key, value] : labels) label(key, value);
    if (!le.empty()) label("le", le);
    text_ += '}';
  }
  text_ += ' ';
}

void PrometheusText::Sample(std::string_view name, const Labels& labels, double value) {
  SampleStart(name, labels);
  if (std::isnan(value)) {
    text_ += "NaN";
  } else if (std::isinf(value)) {
    text_ += value > 0 ? "+Inf" : "-Inf";
  } else {
    AppendNumber(text_, value);
  }
  text_ += '\n';
}

void PrometheusText::Sample(std::string_view name, const Labels& labels, std::uint64_t value) {
  SampleStart(name, labels);
  AppendNumber(text_, value);
  text_ += '\n';
}

void PrometheusText::Sample(std::string_view name, const Labels& labels, std::int64_t value) {
  SampleStart(name, labels);
  AppendNumber(text_, value);
  text_ += '\n';
}

void PrometheusText::Histogram(std::string_view name, const Labels& labels,
                               const LatencyHistogram::Snapshot& histogram) {
  std::string series(name);
  auto base = series.size();
  series += "_bucket";
  for (std::size_t i = 0; i < LatencyHistogram::kBuckets; ++i) {
    bool last = i + 1 == LatencyHistogram::kBuckets;
    SampleStart(series, labels, last ? "+Inf" : LatencyHistogram::kBoundLabels[i]);
    AppendNumber(text_, histogram.cumulative[i]);
    text_ += '\n';
  }
  series.resize(base);
  Sample(series + "_sum", labels, histogram.sum_seconds);
  Sample(series + "_count", labels, histogram.count);
}

}  // namespace switchyard::server
