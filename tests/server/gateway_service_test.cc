#include "server/gateway_service.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <string>

namespace switchyard::server {
namespace {

// The last 16 hex digits of a uuid (variant bits and most of rand_b), as a number.
std::uint64_t Tail(const std::string& uuid) {
  return std::stoull(uuid.substr(19, 4) + uuid.substr(24), nullptr, 16);
}

class GatewayServiceTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  outbound::OutboundClient client_{io_, outbound::ClientOptions{}};
  GatewayService gateway_{client_, GatewayOptions{}};
};

// Call events' uuids count up within a millisecond; a request id, which the caller sees, must
// not be a step of that count, or its holder could name the next call's event before it is stored.
TEST_F(GatewayServiceTest, ARequestIdDoesNotGiveAwayTheNextEventUuid) {
  int compared = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string event_before = gateway_.NewEventUuid();
    const std::string request = gateway_.NewRequestId();
    const std::string event_after = gateway_.NewEventUuid();
    if (event_before.substr(0, 13) != event_after.substr(0, 13)) continue;  // a new millisecond
    ++compared;
    EXPECT_EQ(Tail(event_after), Tail(event_before) + 1) << event_before << " " << event_after;
    EXPECT_NE(Tail(request), Tail(event_before) + 1) << request;
    EXPECT_NE(Tail(event_after), Tail(request) + 1) << request;
  }
  EXPECT_GT(compared, 0);
}

TEST_F(GatewayServiceTest, RequestIdsAreDistinctVersion7Uuids) {
  const std::string a = gateway_.NewRequestId();
  const std::string b = gateway_.NewRequestId();
  EXPECT_NE(a, b);
  EXPECT_EQ(a[14], '7');
  EXPECT_EQ(b[14], '7');
}

}  // namespace
}  // namespace switchyard::server
