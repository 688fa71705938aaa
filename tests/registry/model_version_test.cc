#include "registry/model_version.h"

#include <gtest/gtest.h>

namespace switchyard::registry {
namespace {

using nlohmann::json;

json VersionBody() {
  return {{"name", "chat"},
          {"version", "1.2.0"},
          {"kind", "openai_chat"},
          {"upstream",
           {{"base_url", "https://api.openai.com/v1"},
            {"model", "gpt-4o-mini"},
            {"credential_env", "OPENAI_API_KEY"}}},
          {"prices", {{"input_per_1m", 0.15}, {"cached_input_per_1m", 0.075}, {"output_per_1m", 0.6}}},
          {"artifact", {{"uri", "s3://models/chat.bin"}, {"sha256", std::string(64, 'a')}}},
          {"training_params", {{"epochs", 3}}},
          {"offline_metrics", {{"accuracy", 0.91}}},
          {"description", "the default chat model"},
          {"tags", {"chat", "prod"}}};
}

Status ErrorOf(const json& body) {
  return ModelVersionFromJson(body).status();
}

TEST(ModelVersionTest, ReadsEveryFieldAndWritesItBack) {
  auto model = ModelVersionFromJson(VersionBody());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->upstream.credential_env, "OPENAI_API_KEY");
  EXPECT_EQ(model->prices.cached_input_per_1m, 0.075);
  EXPECT_EQ(model->artifact->sha256, std::string(64, 'a'));
  EXPECT_TRUE(model->HasTag("prod"));
  json out = ModelVersionToJson(*model);
  EXPECT_EQ(out["reference"], "chat@1.2.0");
  EXPECT_EQ(out["state"], "registered");
  EXPECT_EQ(out["training_params"], (json{{"epochs", 3}}));
  // What a GET returns registers again unchanged (output-only members are ignored).
  auto again = ModelVersionFromJson(out);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ModelVersionToJson(*again), out);
}

TEST(ModelVersionTest, StoredFormKeepsStateAndAuthor) {
  ModelVersion model = *ModelVersionFromJson(VersionBody());
  model.state = ModelState::kCanary;
  model.created_by = "admin:sy_adm_x";
  auto read = StoredModelVersionFromJson(ModelVersionToJson(model));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->state, ModelState::kCanary);
  EXPECT_EQ(read->created_by, "admin:sy_adm_x");
}

TEST(ModelVersionTest, UnknownFieldsAreRefusedWithASuggestion) {
  json body = VersionBody();
  body["upstream"]["credentials_env"] = "X";
  Status s = ErrorOf(body);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.field(), "upstream.credentials_env");
  EXPECT_NE(s.message().find("did you mean 'credential_env'"), std::string::npos) << s.message();
  body = VersionBody();
  body["api_key"] = "sk-live";
  EXPECT_EQ(ErrorOf(body).field(), "api_key");
}

TEST(ModelVersionTest, ACredentialIsAVariableNameNeverASecret) {
  json body = VersionBody();
  body["upstream"]["credential_env"] = "sk-proj-abcdef123";
  Status s = ErrorOf(body);
  EXPECT_EQ(s.field(), "upstream.credential_env");
  EXPECT_EQ(s.message().find("sk-proj"), std::string::npos) << "the error must not echo the value";
  body["upstream"].erase("credential_env");
  EXPECT_TRUE(ModelVersionFromJson(body).ok());  // none: an upstream without auth
}

TEST(ModelVersionTest, EachRuleNamesItsField) {
  auto field_of = [](auto edit) {
    json body = VersionBody();
    edit(body);
    return ErrorOf(body).field();
  };
  EXPECT_EQ(field_of([](json& b) { b["name"] = "Chat"; }), "name");
  EXPECT_EQ(field_of([](json& b) { b["version"] = "1.2"; }), "version");
  EXPECT_EQ(field_of([](json& b) { b["kind"] = "grpc"; }), "kind");
  EXPECT_EQ(field_of([](json& b) { b.erase("upstream"); }), "upstream");
  EXPECT_EQ(field_of([](json& b) { b["upstream"]["base_url"] = "ftp://x"; }), "upstream.base_url");
  EXPECT_EQ(field_of([](json& b) { b["upstream"]["base_url"] = "https://"; }), "upstream.base_url");
  EXPECT_EQ(field_of([](json& b) { b["upstream"]["base_url"] = "https://user:pw@host/v1"; }),
            "upstream.base_url");
  EXPECT_EQ(field_of([](json& b) { b["upstream"].erase("model"); }), "upstream.model");
  EXPECT_EQ(field_of([](json& b) { b["prices"]["output_per_1m"] = -1; }), "prices.output_per_1m");
  EXPECT_EQ(field_of([](json& b) { b["prices"]["input_per_1m"] = "1"; }), "prices.input_per_1m");
  EXPECT_EQ(field_of([](json& b) { b["artifact"]["sha256"] = std::string(64, 'G'); }), "artifact.sha256");
  EXPECT_EQ(field_of([](json& b) { b["training_params"] = json::array(); }), "training_params");
  EXPECT_EQ(field_of([](json& b) {
              b["offline_metrics"] = {{"blob", std::string(kMaxModelJsonBytes, 'x')}};
            }),
            "offline_metrics");
  EXPECT_EQ(field_of([](json& b) { b["tags"] = {"ok", "has space"}; }), "tags[1]");
  EXPECT_EQ(field_of([](json& b) { b["tags"] = json(std::vector<std::string>(kMaxTags + 1, "t")); }), "tags");
}

TEST(ModelVersionTest, HttpJsonModelsNeedNoUpstreamModelId) {
  json body = VersionBody();
  body["kind"] = "http_json";
  body["upstream"].erase("model");
  auto model = ModelVersionFromJson(body);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->kind, ModelKind::kHttpJson);
}

}  // namespace
}  // namespace switchyard::registry
