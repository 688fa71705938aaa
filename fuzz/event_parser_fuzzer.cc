// EventParser (simdjson's fast path with the nlohmann path deciding the rest) must give exactly
// the reference path's answer for any bytes: the same error, or the same event. A disagreement
// aborts, so the fuzzer reports the input that caused it. The same bytes as a batch's element
// (EventBodyReader, which tells the parser where the properties sit so it may keep them as sent)
// must get the parser's own answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/bounded_json.h"
#include "events/event_body_reader.h"
#include "events/event_parser.h"

namespace {

using switchyard::events::EventOrigin;

constexpr EventOrigin kOrigin{7, 21, 1'800'000'000'000};

void Check(bool agree) {
  if (!agree) std::abort();
}

void CheckAsBatchElement(std::string_view text, const switchyard::Result<switchyard::events::Event>& alone) {
  switchyard::events::EventParser parser(kOrigin);
  const switchyard::events::EventBodyReader* reading = nullptr;
  switchyard::events::EventBodyReader reader([&](std::size_t, std::string_view element, bool oversized) {
    if (oversized || element != text) return;
    auto parsed = parser.Parse(element, "batch[0]", reading->lone_nested_value());
    Check(parsed.ok() == alone.ok());
    if (!parsed.ok()) {
      Check(parsed.status().ToString() == alone.status().ToString());
      return;
    }
    Check(parsed->event == alone->event && parsed->distinct_id == alone->distinct_id);
    Check(parsed->timestamp_ms == alone->timestamp_ms);
    Check(parsed->properties.size() <= switchyard::events::kMaxPropertiesBytes);
    Check(nlohmann::json::parse(parsed->properties) == nlohmann::json::parse(alone->properties));
  });
  reading = &reader;
  if (reader.Feed("{\"batch\":[" + std::string(text) + "]}") !=
      switchyard::events::EventBodyReader::Error::kNone)
    return;
  static_cast<void>(reader.Finish());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  switchyard::events::EventParser parser(kOrigin);
  auto fast = parser.Parse(text, "batch[0]");
  CheckAsBatchElement(text, fast);
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
