#include "switchyard/status.h"

#include <gtest/gtest.h>

namespace switchyard {
namespace {

TEST(StatusTest, DeadlineExceededIsItsOwnCode) {
  Status status = Status::DeadlineExceeded("no response from http://127.0.0.1:1 in time");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(StatusCodeName(status.code()), "deadline_exceeded");
  EXPECT_EQ(status.ToString(), "deadline_exceeded: no response from http://127.0.0.1:1 in time");
  EXPECT_NE(StatusCodeName(StatusCode::kDeadlineExceeded), StatusCodeName(StatusCode::kUnavailable));
}

}  // namespace
}  // namespace switchyard
