#include "gateway/call_record.h"

namespace switchyard::gateway {

std::string_view ErrorTypeOf(const CallRecord& call) {
  if (call.success) return {};
  if (call.error_type.empty()) return "unknown";
  return call.error_type;
}

}  // namespace switchyard::gateway
