// Dates: the ISO-8601 parser, filter date targets (absolute and relative) and property dates
// (strings and numbers) must accept or refuse any input without undefined behaviour.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/date_value.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)switchyard::core::ParseIsoDateTime(text);
  if (auto target = switchyard::core::DateTarget::Parse(text)) {
    // A fixed "now" keeps a crash reproducible from its input alone.
    const std::chrono::system_clock::time_point now{std::chrono::seconds(1'700'000'000)};
    (void)target->Resolve(now);
  }
  (void)switchyard::core::PropertyDate(nlohmann::json(std::string(text)));
  // The same bytes as a JSON number (unix seconds or milliseconds), when they are one.
  auto number = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (number.is_number()) (void)switchyard::core::PropertyDate(number);
  return 0;
}
