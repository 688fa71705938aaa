#include "server/gateway_metrics.h"

#include <array>
#include <cmath>

#include "server/bucket_histogram.h"
#include "server/concurrent_sketch.h"

namespace switchyard::server {
namespace {

using Json = nlohmann::json;

// Upstream calls: a cached answer in milliseconds to a long generation in minutes.
constexpr std::array<double, 16> kCallBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                                2.5,   5,    10,    20,   30,  60,   120, 300};
// The gateway's own work per call: its budget is ~100 µs.
constexpr std::array<double, 13> kOverheadBounds = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1};

constexpr std::array<const char*, 4> kTokenKinds = {"input", "cached_input", "output", "reasoning"};

// Sums of one aggregate (the whole run, or a slot of the window).
struct Counts {
  std::atomic<std::uint64_t> successes{0}, failures{0}, fallbacks{0};
  std::array<std::atomic<std::int64_t>, kTokenKinds.size()> tokens{};
  std::atomic<double> cost{0};
  ConcurrentSketch latency_ms, ttft_ms;

  void Add(const gateway::CallRecord& call) {
    (call.success ? successes : failures).fetch_add(1, std::memory_order_relaxed);
    if (call.fallback) fallbacks.fetch_add(1, std::memory_order_relaxed);
    const std::int64_t used[] = {call.input_tokens, call.cached_input_tokens, call.output_tokens,
                                 call.reasoning_tokens};
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (used[i] != 0) tokens[i].fetch_add(used[i], std::memory_order_relaxed);
    }
    if (call.cost != 0 && std::isfinite(call.cost)) cost.fetch_add(call.cost, std::memory_order_relaxed);
    latency_ms.Add(call.latency_ms);
    if (call.ttft_ms >= 0) ttft_ms.Add(call.ttft_ms);
  }

  void Reset() {
    successes.store(0, std::memory_order_relaxed);
    failures.store(0, std::memory_order_relaxed);
    fallbacks.store(0, std::memory_order_relaxed);
    for (auto& each : tokens) each.store(0, std::memory_order_relaxed);
    cost.store(0, std::memory_order_relaxed);
    latency_ms.Reset();
    ttft_ms.Reset();
  }
};

// Counts read out of one or more aggregates, for the snapshot.
struct Summary {
  std::uint64_t successes = 0, failures = 0, fallbacks = 0;
  std::array<std::int64_t, kTokenKinds.size()> tokens{};
  double cost = 0;
  stats::QuantileSketch latency_ms = ConcurrentSketch::EmptySketch();
  stats::QuantileSketch ttft_ms = ConcurrentSketch::EmptySketch();

  void Add(const Counts& counts) {
    successes += counts.successes.load(std::memory_order_relaxed);
    failures += counts.failures.load(std::memory_order_relaxed);
    fallbacks += counts.fallbacks.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < tokens.size(); ++i)
      tokens[i] += counts.tokens[i].load(std::memory_order_relaxed);
    cost += counts.cost.load(std::memory_order_relaxed);
    counts.latency_ms.AddTo(latency_ms);
    counts.ttft_ms.AddTo(ttft_ms);
  }
};

// Milliseconds to the microsecond: the sketch's 2 % error makes more digits noise.
Json Rounded(double value) {
  if (!std::isfinite(value)) return nullptr;
  return std::round(value * 1000) / 1000;
}

Json Quantiles(const stats::QuantileSketch& sketch,
               std::initializer_list<std::pair<const char*, double>> qs) {
  Json out = Json::object();
  for (const auto& [name, q] : qs) out[name] = sketch.empty() ? Json(nullptr) : Rounded(sketch.Quantile(q));
  return out;
}

Json SummaryJson(const Summary& summary) {
  const std::uint64_t requests = summary.successes + summary.failures;
  Json tokens = Json::object();
  for (std::size_t i = 0; i < kTokenKinds.size(); ++i) tokens[kTokenKinds[i]] = summary.tokens[i];
  return Json{
      {"requests", requests},
      {"successes", summary.successes},
      {"errors", summary.failures},
      {"success_rate", requests == 0
                           ? Json(nullptr)
                           : Json(static_cast<double>(summary.successes) / static_cast<double>(requests))},
      {"latency_ms", Quantiles(summary.latency_ms, {{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}})},
      {"ttft_ms", Quantiles(summary.ttft_ms, {{"p50", 0.5}, {"p95", 0.95}})},
      {"streamed", summary.ttft_ms.count()},
      {"tokens", std::move(tokens)},
      {"cost", summary.cost},
      {"fallbacks", summary.fallbacks},
  };
}

}  // namespace

struct GatewayMetrics::Series {
  Series(SeriesKey series_key, std::string experiment_name)
      : key(std::move(series_key)),
        experiment(std::move(experiment_name)),
        project(std::to_string(key.project_id)) {}

  struct Slot {
    std::atomic<std::int64_t> epoch{-1};
    Counts counts;
  };

  // The slot of `epoch`, emptied first when it still holds an older one (once per slot length).
  Counts& SlotFor(std::int64_t epoch) {
    Slot& slot = slots[static_cast<std::size_t>(epoch % kWindowSlots)];
    if (slot.epoch.load(std::memory_order_acquire) != epoch) {
      MutexLock lock(rotate_mu);
      if (slot.epoch.load(std::memory_order_relaxed) != epoch) {
        slot.counts.Reset();
        slot.epoch.store(epoch, std::memory_order_release);
      }
    }
    return slot.counts;
  }

  PrometheusText::Labels Labels() const {
    return {{"project", project},
            {"route", key.route},
            {"variant", key.variant},
            {"model", key.model},
            {"shadow", key.shadow ? "true" : "false"}};
  }

  const SeriesKey key;
  const std::string experiment;  // the first call's: a route binds one flag or experiment
  const std::string project;     // the label value
  Counts total;
  std::array<Slot, kWindowSlots> slots;
  Mutex rotate_mu;
  std::array<std::atomic<std::uint64_t>, kMaxErrorTypes> errors{};
  std::atomic<std::uint64_t> retries{0};
  BucketHistogram latency_seconds{kCallBounds};
  BucketHistogram ttft_seconds{kCallBounds};
  BucketHistogram overhead_seconds{kOverheadBounds};
};

GatewayMetrics::GatewayMetrics(GatewayMetricsOptions options, SteadyClock clock)
    : options_(options), clock_(std::move(clock)), start_(clock_()) {}

GatewayMetrics::~GatewayMetrics() = default;

std::int64_t GatewayMetrics::CurrentEpoch() const {
  return (clock_() - start_) / kSlotLength;
}

GatewayMetrics::Series* GatewayMetrics::FindOrAdd(const gateway::CallRecord& call) {
  {
    ReaderLock lock(series_mu_);
    if (auto it = series_.find(call); it != series_.end()) return it->second.get();
  }
  WriterLock lock(series_mu_);
  if (auto it = series_.find(call); it != series_.end()) return it->second.get();
  if (series_.size() >= options_.max_series) return nullptr;
  SeriesKey key{call.project_id, call.route, call.variant, call.model, call.shadow};
  auto series = std::make_unique<Series>(key, call.experiment);
  Series* added = series.get();
  series_.emplace(std::move(key), std::move(series));
  return added;
}

std::size_t GatewayMetrics::ErrorTypeIndex(std::string_view type) {
  {
    ReaderLock lock(error_types_mu_);
    for (std::size_t i = 0; i < error_types_.size(); ++i) {
      if (error_types_[i] == type) return i;
    }
    if (error_types_.size() >= kMaxErrorTypes - 1) return kMaxErrorTypes - 1;
  }
  WriterLock lock(error_types_mu_);
  for (std::size_t i = 0; i < error_types_.size(); ++i) {
    if (error_types_[i] == type) return i;
  }
  if (error_types_.size() >= kMaxErrorTypes - 1) return kMaxErrorTypes - 1;
  error_types_.emplace_back(type);
  return error_types_.size() - 1;
}

void GatewayMetrics::Record(const gateway::CallRecord& call) {
  Series* series = FindOrAdd(call);
  if (series == nullptr) {
    series_dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  series->total.Add(call);
  series->SlotFor(CurrentEpoch()).Add(call);
  if (!call.success)
    series->errors[ErrorTypeIndex(gateway::ErrorTypeOf(call))].fetch_add(1, std::memory_order_relaxed);
  if (call.attempts > 1)
    series->retries.fetch_add(static_cast<std::uint64_t>(call.attempts - 1), std::memory_order_relaxed);
  series->latency_seconds.Observe(call.latency_ms / 1e3);
  if (call.ttft_ms >= 0) series->ttft_seconds.Observe(call.ttft_ms / 1e3);
  series->overhead_seconds.Observe(call.overhead_us / 1e6);
}

void GatewayMetrics::CountShadowDropped(std::string_view route) {
  {
    ReaderLock lock(shadow_mu_);
    if (auto it = shadow_dropped_.find(route); it != shadow_dropped_.end()) {
      it->second->fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  WriterLock lock(shadow_mu_);
  auto it = shadow_dropped_.find(route);
  if (it == shadow_dropped_.end()) {
    // Routes are configuration, but bound the map all the same.
    if (shadow_dropped_.size() >= options_.max_series) {
      series_dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    it = shadow_dropped_.emplace(std::string(route), std::make_unique<std::atomic<std::uint64_t>>(0)).first;
  }
  it->second->fetch_add(1, std::memory_order_relaxed);
}

std::vector<const GatewayMetrics::Series*> GatewayMetrics::AllSeries() const {
  ReaderLock lock(series_mu_);
  std::vector<const Series*> out;
  out.reserve(series_.size());
  for (const auto& [key, series] : series_) out.push_back(series.get());
  return out;
}

void GatewayMetrics::AppendMetrics(PrometheusText& out) const {
  const auto all = AllSeries();
  std::vector<PrometheusText::Labels> labels;
  labels.reserve(all.size());
  for (const Series* series : all) labels.push_back(series->Labels());

  out.Family("switchyard_gateway_requests_total", "counter",
             "Gateway calls per route, variant and model, by outcome (success or error).");
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (bool success : {true, false}) {
      auto with = labels[i];
      with.emplace_back("outcome", success ? "success" : "error");
      const auto& counter = success ? all[i]->total.successes : all[i]->total.failures;
      out.Sample("switchyard_gateway_requests_total", with, counter.load(std::memory_order_relaxed));
    }
  }
  std::vector<std::string> types;
  {
    ReaderLock lock(error_types_mu_);
    types = error_types_;
  }
  types.resize(kMaxErrorTypes - 1);
  types.push_back("other");
  out.Family("switchyard_gateway_errors_total", "counter", "Failed gateway calls by error type.");
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t t = 0; t < kMaxErrorTypes; ++t) {
      const std::uint64_t count = all[i]->errors[t].load(std::memory_order_relaxed);
      if (count == 0) continue;  // only the types this series has seen
      auto with = labels[i];
      with.emplace_back("type", types[t]);
      out.Sample("switchyard_gateway_errors_total", with, count);
    }
  }
  out.Family("switchyard_gateway_request_duration_seconds", "histogram",
             "Gateway call latency, request received to last byte sent.");
  for (std::size_t i = 0; i < all.size(); ++i)
    all[i]->latency_seconds.AppendTo(out, "switchyard_gateway_request_duration_seconds", labels[i]);
  out.Family("switchyard_gateway_time_to_first_token_seconds", "histogram",
             "Time to the first streamed token (streamed calls only).");
  for (std::size_t i = 0; i < all.size(); ++i)
    all[i]->ttft_seconds.AppendTo(out, "switchyard_gateway_time_to_first_token_seconds", labels[i]);
  out.Family(
      "switchyard_gateway_overhead_seconds", "histogram",
      "Time each call spent in the gateway itself (routing, rewriting, accounting), upstream excluded.");
  for (std::size_t i = 0; i < all.size(); ++i)
    all[i]->overhead_seconds.AppendTo(out, "switchyard_gateway_overhead_seconds", labels[i]);
  out.Family("switchyard_gateway_tokens_total", "counter",
             "Tokens used, by kind (input, cached_input, output, reasoning).");
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t k = 0; k < kTokenKinds.size(); ++k) {
      auto with = labels[i];
      with.emplace_back("kind", kTokenKinds[k]);
      out.Sample("switchyard_gateway_tokens_total", with,
                 all[i]->total.tokens[k].load(std::memory_order_relaxed));
    }
  }
  out.Family("switchyard_gateway_cost_total", "counter",
             "Cost of the calls, in each model's price currency.");
  for (std::size_t i = 0; i < all.size(); ++i)
    out.Sample("switchyard_gateway_cost_total", labels[i],
               all[i]->total.cost.load(std::memory_order_relaxed));
  out.Family("switchyard_gateway_fallbacks_total", "counter",
             "Calls answered by the route's default model after the chosen one failed.");
  for (std::size_t i = 0; i < all.size(); ++i)
    out.Sample("switchyard_gateway_fallbacks_total", labels[i],
               all[i]->total.fallbacks.load(std::memory_order_relaxed));
  out.Family("switchyard_gateway_retries_total", "counter", "Upstream attempts beyond the first.");
  for (std::size_t i = 0; i < all.size(); ++i)
    out.Sample("switchyard_gateway_retries_total", labels[i],
               all[i]->retries.load(std::memory_order_relaxed));
  out.Family("switchyard_gateway_shadow_dropped_total", "counter",
             "Shadow calls not made because the shadow queue was full.");
  {
    ReaderLock lock(shadow_mu_);
    for (const auto& [route, count] : shadow_dropped_)
      out.Sample("switchyard_gateway_shadow_dropped_total", {{"route", route}},
                 count->load(std::memory_order_relaxed));
  }
  out.Family("switchyard_gateway_series_dropped_total", "counter",
             "Calls not recorded because the gateway already tracked its maximum number of series.");
  out.Sample("switchyard_gateway_series_dropped_total", {}, series_dropped_.load(std::memory_order_relaxed));
}

Json GatewayMetrics::Snapshot() const {
  const auto all = AllSeries();
  const std::int64_t epoch = CurrentEpoch();
  std::vector<std::string> types;
  {
    ReaderLock lock(error_types_mu_);
    types = error_types_;
  }
  types.resize(kMaxErrorTypes - 1);
  types.push_back("other");

  Json series = Json::array();
  for (const Series* each : all) {
    Summary total;
    total.Add(each->total);
    Summary recent;
    for (const auto& slot : each->slots) {
      const std::int64_t slot_epoch = slot.epoch.load(std::memory_order_acquire);
      if (slot_epoch > epoch - kWindowSlots && slot_epoch <= epoch) recent.Add(slot.counts);
    }
    Json errors = Json::object();
    for (std::size_t t = 0; t < kMaxErrorTypes; ++t) {
      if (const auto count = each->errors[t].load(std::memory_order_relaxed); count != 0)
        errors[types[t]] = count;
    }
    series.push_back(Json{{"project_id", each->key.project_id},
                          {"route", each->key.route},
                          {"experiment", each->experiment},
                          {"variant", each->key.variant},
                          {"model", each->key.model},
                          {"shadow", each->key.shadow},
                          {"total", SummaryJson(total)},
                          {"recent", SummaryJson(recent)},
                          {"errors", std::move(errors)},
                          {"retries", each->retries.load(std::memory_order_relaxed)}});
  }
  Json shadow = Json::object();
  {
    ReaderLock lock(shadow_mu_);
    for (const auto& [route, count] : shadow_dropped_) shadow[route] = count->load(std::memory_order_relaxed);
  }
  return Json{{"window_seconds", kWindowSlots * kSlotLength.count()},
              {"series", std::move(series)},
              {"shadow_dropped", std::move(shadow)},
              {"series_dropped", series_dropped_.load(std::memory_order_relaxed)}};
}

}  // namespace switchyard::server
