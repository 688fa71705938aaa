// `--payload VARIANT=JSON` end to end: set on create and update, served by evaluation, checked
// locally before anything is sent.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_fixture.h"

namespace switchyard::cli {
namespace {

using Json = nlohmann::json;

TEST_F(CliTest, PayloadsPerVariantAreSetAndServed) {
  Ok({"flags", "create", "model", "--variant", "control=50", "--variant", "test=50", "--payload",
      R"(test={"model": "gpt-4o-mini"})", "--payload", "control=1"});
  Json flag = OkJson({"flags", "get", "model"});
  EXPECT_EQ(flag["filters"]["payloads"], Json::parse(R"({"control": 1, "test": {"model": "gpt-4o-mini"}})"));

  Json evaluated = OkJson({"evaluate", "--user", "u1", "--flag", "model"})["flags"]["model"];
  ASSERT_TRUE(evaluated["variant"].is_string()) << evaluated;
  EXPECT_EQ(evaluated["payload"], flag["filters"]["payloads"][evaluated["variant"].get<std::string>()]);

  Ok({"flags", "update", "model", "--payload", "control=null", "--payload", R"(test=["a", "b"])"});
  EXPECT_EQ(OkJson({"flags", "get", "model"})["filters"]["payloads"], Json::parse(R"({"test": ["a", "b"]})"));

  // Each --payload takes one value: the flag key may follow it.
  Ok({"flags", "create", "--payload", R"(true={"text": "hi"})", "banner"});
  EXPECT_EQ(OkJson({"flags", "get", "banner"})["filters"]["payloads"],
            Json::parse(R"({"true": {"text": "hi"}})"));
}

TEST_F(CliTest, BadPayloadsAreUsageErrorsNamingTheVariant) {
  Ok({"flags", "create", "model", "--variant", "control=50", "--variant", "test=50"});
  testing::CommandResult bad_json = Run({"flags", "update", "model", "--payload", "test={oops"});
  ExpectOneLineError(bad_json, 2, "payload for 'test' is not valid JSON");
  EXPECT_NE(bad_json.err.find("--payload"), std::string::npos) << bad_json.err;
  ExpectOneLineError(Run({"flags", "update", "model", "--payload", "tset=1"}), 2,
                     "'tset' is not a variant of this flag (variants: control, test)");
  ExpectOneLineError(Run({"flags", "update", "model", "--payload", "1"}), 2, "VARIANT=JSON");
  ExpectOneLineError(Run({"flags", "create", "plain", "--payload", "on=1"}), 2, "true=JSON");
  EXPECT_EQ(OkJson({"flags", "get", "model"})["version"], 1);  // nothing was sent
  ExpectOneLineError(Run({"flags", "get", "plain"}), 1, "[HTTP 404]");
}

}  // namespace
}  // namespace switchyard::cli
