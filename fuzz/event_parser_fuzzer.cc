// EventParser (simdjson's fast path with the nlohmann path deciding the rest) must give exactly
// the reference path's answer for any bytes: the same error, or the same event. A disagreement
// aborts, so the fuzzer reports the input that caused it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/bounded_json.h"
#include "events/event_parser.h"

namespace {

using switchyard::events::EventOrigin;

constexpr EventOrigin kOrigin{7, 21, 1'800'000'000'000};

void Check(bool agree) {
  if (!agree) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  switchyard::events::EventParser parser(kOrigin);
  auto fast = parser.Parse(text, "batch[0]");
  auto value = switchyard::core::ParseBoundedJson(text);
  auto reference = value.ok() ? switchyard::events::EventFromJson(*value, "batch[0]", kOrigin)
                              : switchyard::Result<switchyard::events::Event>(value.status());
  Check(fast.ok() == reference.ok());
  if (!fast.ok()) {
    Check(fast.status().ToString() == reference.status().ToString());
    Check(fast.status().field() == reference.status().field());
    return 0;
  }
  Check(fast->event == reference->event);
  Check(fast->distinct_id == reference->distinct_id);
  Check(fast->timestamp_ms == reference->timestamp_ms);
  Check(nlohmann::json::parse(fast->properties) == nlohmann::json::parse(reference->properties));
  // A uuid the request gave is kept on both paths (a new one is random on each).
  const auto given = value->find("uuid");
  if (given != value->end() && given->is_string()) Check(fast->uuid == reference->uuid);
  return 0;
}
