// The error type a call is counted under: never empty for a failure, empty for a success.
#include "gateway/call_record.h"

#include <gtest/gtest.h>

namespace switchyard::gateway {
namespace {

TEST(CallRecordTest, AFailureKeepsItsOwnErrorType) {
  CallRecord call;
  call.error_type = "timeout";
  EXPECT_EQ(ErrorTypeOf(call), "timeout");
}

TEST(CallRecordTest, AFailureWithoutATypeIsUnknown) {
  CallRecord call;
  EXPECT_EQ(ErrorTypeOf(call), "unknown");
}

TEST(CallRecordTest, ASuccessHasNoErrorTypeEvenIfOneWasSet) {
  CallRecord call;
  call.success = true;
  call.error_type = "upstream_5xx";  // e.g. a first attempt failed, the retry succeeded
  EXPECT_EQ(ErrorTypeOf(call), "");
}

}  // namespace
}  // namespace switchyard::gateway
