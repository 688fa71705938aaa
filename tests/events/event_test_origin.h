// The receive time and origin the event tests parse under, shared so both parsers' tests agree.
#pragma once

#include <cstdint>

#include "events/event_json.h"

namespace switchyard::events::test_support {

inline constexpr std::int64_t kNow = 1'800'000'000'000;  // 2027-01-15T08:00:00.000Z
inline const EventOrigin kOrigin{7, 21, kNow};

}  // namespace switchyard::events::test_support
