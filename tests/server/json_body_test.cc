// ParseJsonBody: the one parser every request body goes through.
#include "server/json_body.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace switchyard::server {
namespace {

std::string Arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string Objects(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += "{\"a\":";
  out += "1";
  out += std::string(depth, '}');
  return out;
}

void ExpectRefused(std::string_view body, std::string_view needle) {
  Result<nlohmann::json> parsed = ParseJsonBody(body);
  ASSERT_FALSE(parsed.ok()) << body.substr(0, 80);
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().field(), "body");
  EXPECT_NE(parsed.status().message().find(needle), std::string::npos) << parsed.status().message();
}

TEST(JsonBodyTest, ParsesOrdinaryJsonLikeNlohmann) {
  const std::string text =
      R"({"a":[1,-2,3.5,"x",true,false,null,{}],"b":{"c":[]},"big":18446744073709551615,"e":1e308})";
  Result<nlohmann::json> parsed = ParseJsonBody(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, nlohmann::json::parse(text));
  EXPECT_TRUE((*parsed)["big"].is_number_unsigned());
  EXPECT_EQ(*ParseJsonBody("  \"just a string\" "), "just a string");
}

// Same value and same types (nlohmann compares 5 and 5u as equal; handlers can tell them apart).
bool Identical(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a != b) return false;
  if (a.is_number_float() && std::signbit(a.get<double>()) != std::signbit(b.get<double>())) return false;
  if (a.is_structured()) {
    auto it = b.begin();
    for (auto mine = a.begin(); mine != a.end(); ++mine, ++it) {
      if (a.is_object() && mine.key() != it.key()) return false;
      if (!Identical(*mine, *it)) return false;
    }
  }
  return true;
}

// Small bodies are read by simdjson and rebuilt; the result must be what nlohmann's own parser
// (core::ParseBoundedJson, which also decides every refusal) gives, number types included.
TEST(JsonBodyTest, TheFastParseGivesWhatNlohmannGives) {
  const std::vector<std::string> bodies = {
      R"({"a":5,"b":-5,"c":0,"d":-0,"e":-0.0,"f":0.0,"g":1.0,"h":1e2,"i":-1E-2,"j":1e-400})",
      R"([9223372036854775807,9223372036854775808,18446744073709551615,-9223372036854775808])",
      R"([18446744073709551616,-9223372036854775809,123456789012345678901234567890])",
      R"({"s":"\u0000\u00e9\ud83d\ude00 \\ \" \/ \b\f\n\r\t","t":"é😀","empty":""})",
      R"({"lone":"\ud800"})",
      R"({"lone":"\udc00x"})",
      R"({"a":{"b":[{"c":null,"d":[true,false,[]]}],"e":{}}})",
      R"(  [1, 2 , 3 ]  )",
      "\"text\"",
      "17",
      "null",
      R"({"x":1,"x":1})",
      R"({"a":1,})",
      R"([01])",
      R"({"a":.5})",
  };
  for (const std::string& body : bodies) {
    Result<nlohmann::json> fast = ParseJsonBody(body);
    Result<nlohmann::json> slow = core::ParseBoundedJson(body, kMaxBodyDepth);
    ASSERT_EQ(fast.ok(), slow.ok()) << body;
    if (fast.ok()) {
      EXPECT_TRUE(Identical(*fast, *slow)) << body << "\n" << fast->dump() << "\n" << slow->dump();
    } else {
      EXPECT_EQ(fast.status().message(), slow.status().message()) << body;
    }
  }
}

TEST(JsonBodyTest, NestingUpToTheLimitIsFineOneMoreIsNot) {
  EXPECT_TRUE(ParseJsonBody(Arrays(kMaxBodyDepth)).ok());
  EXPECT_TRUE(ParseJsonBody(Objects(kMaxBodyDepth)).ok());
  ExpectRefused(Arrays(kMaxBodyDepth + 1), "deeper than 64");
  ExpectRefused(Objects(kMaxBodyDepth + 1), "deeper than 64");
  // Far past the limit: refused without ever building (or destroying) a deep DOM.
  ExpectRefused(Arrays(1'000'000), "deeper than 64");
  ExpectRefused(std::string(1'000'000, '['), "deeper than 64");
}

TEST(JsonBodyTest, DuplicateKeysAreRefusedAtAnyDepth) {
  ExpectRefused(R"({"active":false,"active":true})", "\"active\"");
  ExpectRefused(R"({"a":{"b":1,"c":2,"b":3}})", "\"b\"");
  ExpectRefused(R"([{"x":1},{"y":1,"y":1}])", "\"y\"");
  // Long keys are quoted only in part.
  const std::string key(1000, 'k');
  Result<nlohmann::json> parsed = ParseJsonBody("{\"" + key + "\":1,\"" + key + "\":2}");
  ASSERT_FALSE(parsed.ok());
  EXPECT_LT(parsed.status().message().size(), 300u);
  // The same key in sibling objects is not a duplicate.
  EXPECT_TRUE(ParseJsonBody(R"([{"x":1},{"x":2}])").ok());
}

TEST(JsonBodyTest, NumbersThatOverflowADoubleAreRefused) {
  ExpectRefused(R"({"n":1e309})", "does not fit a double");
  ExpectRefused(R"([-1e309])", "does not fit a double");
  ExpectRefused("1" + std::string(400, '0'), "does not fit a double");
}

TEST(JsonBodyTest, MalformedBodiesAreRefused) {
  ExpectRefused("", "empty");
  ExpectRefused("   ", "malformed JSON");
  ExpectRefused(R"({"a":1} {"b":2})", "malformed JSON");
  ExpectRefused(R"({"a":)", "malformed JSON");
  ExpectRefused("{\"a\":\"\xff\"}", "malformed JSON");  // not UTF-8
  ExpectRefused(R"({"a":NaN})", "malformed JSON");
}

}  // namespace
}  // namespace switchyard::server
