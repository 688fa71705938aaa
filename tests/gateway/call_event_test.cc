// The event per gateway call: every name the built-in metrics read, values as nlohmann would
// write them, and `extra` members that can add but never replace.
#include "gateway/call_event.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace switchyard::gateway {
namespace {

CallRecord SampleCall() {
  CallRecord call;
  call.route = "chat-default";
  call.experiment = "chat-exp";
  call.variant = "treatment";
  call.model = "candidate@1.2.0";
  call.status = 200;
  call.success = true;
  call.latency_ms = 812.5;
  call.input_tokens = 120;
  call.cached_input_tokens = 100;
  call.output_tokens = 33;
  call.reasoning_tokens = 7;
  call.cost = 0.000655;
  call.attempts = 2;
  call.fallback = true;
  return call;
}

TEST(CallEventTest, CarriesPostHogAndPlainNames) {
  const auto properties = nlohmann::json::parse(CallEventProperties(SampleCall(), {"req-1", false}));
  EXPECT_EQ(properties["$ai_model"], "candidate@1.2.0");
  EXPECT_EQ(properties["$ai_provider"], "switchyard");
  EXPECT_DOUBLE_EQ(properties["$ai_latency"].get<double>(), 0.8125);
  EXPECT_EQ(properties["$ai_input_tokens"], 120);
  EXPECT_EQ(properties["$ai_cache_read_input_tokens"], 100);
  EXPECT_EQ(properties["$ai_output_tokens"], 33);
  EXPECT_EQ(properties["$ai_reasoning_tokens"], 7);
  EXPECT_DOUBLE_EQ(properties["$ai_total_cost_usd"].get<double>(), 0.000655);
  EXPECT_EQ(properties["$ai_is_error"], false);
  EXPECT_EQ(properties["$ai_http_status"], 200);
  EXPECT_EQ(properties["$ai_trace_id"], "req-1");
  EXPECT_EQ(properties["route"], "chat-default");
  EXPECT_EQ(properties["experiment"], "chat-exp");
  EXPECT_EQ(properties["variant"], "treatment");
  EXPECT_EQ(properties["model"], "candidate@1.2.0");
  EXPECT_EQ(properties["status"], 200);
  EXPECT_EQ(properties["success"], true);
  EXPECT_DOUBLE_EQ(properties["latency_ms"].get<double>(), 812.5);
  EXPECT_DOUBLE_EQ(properties["cost"].get<double>(), 0.000655);
  EXPECT_EQ(properties["error_type"], "");
  EXPECT_EQ(properties["request_id"], "req-1");
  EXPECT_EQ(properties["fallback"], true);
  EXPECT_EQ(properties["attempts"], 2);
  EXPECT_EQ(properties["shadow"], false);
  EXPECT_EQ(properties["user_source"], "user");
  EXPECT_FALSE(properties.contains("ttft_ms"));  // not streamed
  EXPECT_EQ(properties.size(), 29u);
}

TEST(CallEventTest, StreamedCallsCarryTimeToFirstToken) {
  CallRecord call = SampleCall();
  call.ttft_ms = 150;
  call.shadow = true;
  const auto properties = nlohmann::json::parse(CallEventProperties(call, {"req-2", true}));
  EXPECT_DOUBLE_EQ(properties["ttft_ms"].get<double>(), 150);
  EXPECT_DOUBLE_EQ(properties["$ai_time_to_first_token"].get<double>(), 0.15);
  EXPECT_EQ(properties["shadow"], true);
  EXPECT_EQ(properties["user_source"], "request_id");
}

TEST(CallEventTest, NumbersRoundTripAndNonFiniteIsNull) {
  CallRecord call = SampleCall();
  call.latency_ms = 0.1 + 0.2;  // needs 17 digits to round-trip
  call.cost = std::numeric_limits<double>::quiet_NaN();
  const auto properties = nlohmann::json::parse(CallEventProperties(call, {"r", false}));
  EXPECT_EQ(properties["latency_ms"].get<double>(), 0.1 + 0.2);
  EXPECT_TRUE(properties["cost"].is_null());
  EXPECT_TRUE(properties["$ai_total_cost_usd"].is_null());
}

TEST(CallEventTest, StringsAreEscapedAndInvalidUtf8Replaced) {
  CallRecord call = SampleCall();
  call.error_type = "quote\" backslash\\ newline\n";
  call.variant = std::string("bad\xff") + "byte";
  const std::string text = CallEventProperties(call, {"r", false});
  const auto properties = nlohmann::json::parse(text);
  EXPECT_EQ(properties["error_type"], "quote\" backslash\\ newline\n");
  EXPECT_EQ(properties["variant"],
            "bad\xEF\xBF\xBD"
            "byte");  // U+FFFD, as nlohmann's dump writes it
}

TEST(CallEventTest, ExtraAddsMembersButNeverReplacesTheCallsOwn) {
  const nlohmann::json extra = {{"makespan", 412.5}, {"status", 999}, {"ttft_ms", 1}, {"nested", {{"a", 1}}}};
  const auto properties = nlohmann::json::parse(CallEventProperties(SampleCall(), {"r", false}, &extra));
  EXPECT_DOUBLE_EQ(properties["makespan"].get<double>(), 412.5);
  EXPECT_EQ(properties["nested"]["a"], 1);
  EXPECT_EQ(properties["status"], 200);
  EXPECT_FALSE(properties.contains("ttft_ms"));
}

}  // namespace
}  // namespace switchyard::gateway
