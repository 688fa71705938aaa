#include "registry/model_version.h"

#include <algorithm>
#include <cmath>

#include "core/json_fields.h"
#include "registry/model_reference.h"
#include "registry/registry_fields.h"

namespace switchyard::registry {
namespace {

using core::FieldPath;
using core::IndexPath;
using core::Json;

constexpr std::size_t kMaxUrlLength = 2048;
constexpr std::size_t kMaxTagLength = 64;

Status ValidateBaseUrl(const std::string& url) {
  const std::string field = "upstream.base_url";
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = std::string_view(url).substr(7);
  } else if (url.starts_with("https://")) {
    rest = std::string_view(url).substr(8);
  } else {
    return Status::InvalidArgument("upstream.base_url must start with http:// or https://", field);
  }
  if (url.size() > kMaxUrlLength) return Status::InvalidArgument("upstream.base_url is too long", field);
  const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('@') != std::string_view::npos)
    return Status::InvalidArgument("upstream.base_url needs a host (and no user info)", field);
  for (char c : url)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return Status::InvalidArgument("upstream.base_url must not contain spaces or control characters",
                                     field);
  if (url.find_first_of("?#") != std::string::npos)
    return Status::InvalidArgument("upstream.base_url must not have a query or fragment", field);
  return Status::Ok();
}

Status ValidateCredentialEnv(const std::string& name) {
  if (name.empty()) return Status::Ok();
  bool ok = name.size() <= 128 && ((name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_');
  for (char c : name) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (ok) return Status::Ok();
  // Never echo the value: someone may have pasted a secret where the variable's name belongs.
  return Status::InvalidArgument(
      "upstream.credential_env must be the NAME of an environment variable ([A-Z_][A-Z0-9_]*), never a "
      "secret",
      "upstream.credential_env");
}

Status ValidatePrice(double price, const char* name) {
  if (std::isfinite(price) && price >= 0) return Status::Ok();
  const std::string field = FieldPath("prices", name);
  return Status::InvalidArgument(field + " must be a non-negative number", field);
}

bool IsLowerHex(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status ValidateBoundedObject(const Json& json, const char* field) {
  if (!json.is_object()) return Status::InvalidArgument(std::string(field) + " must be an object", field);
  if (json.dump().size() > kMaxModelJsonBytes)
    return Status::InvalidArgument(
        std::string(field) + " is larger than " + std::to_string(kMaxModelJsonBytes) + " bytes", field);
  return Status::Ok();
}

Status ReadPrice(const Json& prices, const char* name, double* out) {
  std::optional<double> value;
  if (Status s = core::ReadNumber(prices, name, "prices", &value); !s.ok()) return s;
  if (value) *out = *value;
  return Status::Ok();
}

Status ReadObjectMember(const Json& json, const char* name, Json* out) {
  const Json* member = core::Member(json, name);
  if (member == nullptr) return Status::Ok();
  if (!member->is_object()) return core::Invalid(name, "must be an object");
  *out = *member;
  return Status::Ok();
}

Status ReadBody(const Json& json, ModelVersion* model) {
  if (Status s = core::ExpectObject(json, ""); !s.ok()) return s;
  if (Status s = core::CheckFields(json, "", kModelVersionFields); !s.ok()) return s;
  if (Status s = core::ReadRequiredString(json, "name", "", &model->name); !s.ok()) return s;
  if (Status s = core::ReadRequiredString(json, "version", "", &model->version); !s.ok()) return s;
  std::string kind = "openai_chat";
  if (Status s = core::ReadString(json, "kind", "", &kind); !s.ok()) return s;
  if (kind == "openai_chat") {
    model->kind = ModelKind::kOpenAiChat;
  } else if (kind == "http_json") {
    model->kind = ModelKind::kHttpJson;
  } else {
    return Status::InvalidArgument("kind must be openai_chat or http_json", "kind");
  }
  const Json* upstream = core::Member(json, "upstream");
  if (upstream == nullptr) return Status::InvalidArgument("upstream is required", "upstream");
  if (Status s = core::ExpectObject(*upstream, "upstream"); !s.ok()) return s;
  if (Status s = core::CheckFields(*upstream, "upstream", kUpstreamFields); !s.ok()) return s;
  if (Status s = core::ReadRequiredString(*upstream, "base_url", "upstream", &model->upstream.base_url);
      !s.ok())
    return s;
  if (Status s = core::ReadString(*upstream, "model", "upstream", &model->upstream.model); !s.ok()) return s;
  if (Status s = core::ReadString(*upstream, "credential_env", "upstream", &model->upstream.credential_env);
      !s.ok())
    return s;
  if (const Json* prices = core::Member(json, "prices")) {
    if (Status s = core::ExpectObject(*prices, "prices"); !s.ok()) return s;
    if (Status s = core::CheckFields(*prices, "prices", kPricesFields); !s.ok()) return s;
    if (Status s = ReadPrice(*prices, "input_per_1m", &model->prices.input_per_1m); !s.ok()) return s;
    if (Status s = ReadPrice(*prices, "cached_input_per_1m", &model->prices.cached_input_per_1m); !s.ok())
      return s;
    if (Status s = ReadPrice(*prices, "output_per_1m", &model->prices.output_per_1m); !s.ok()) return s;
  }
  if (const Json* artifact = core::Member(json, "artifact")) {
    if (Status s = core::ExpectObject(*artifact, "artifact"); !s.ok()) return s;
    if (Status s = core::CheckFields(*artifact, "artifact", kArtifactFields); !s.ok()) return s;
    Artifact out;
    if (Status s = core::ReadRequiredString(*artifact, "uri", "artifact", &out.uri); !s.ok()) return s;
    if (Status s = core::ReadRequiredString(*artifact, "sha256", "artifact", &out.sha256); !s.ok()) return s;
    model->artifact = std::move(out);
  }
  if (Status s = ReadObjectMember(json, "training_params", &model->training_params); !s.ok()) return s;
  if (Status s = ReadObjectMember(json, "offline_metrics", &model->offline_metrics); !s.ok()) return s;
  if (Status s = core::ReadString(json, "description", "", &model->description); !s.ok()) return s;
  if (const Json* tags = core::Member(json, "tags")) {
    if (Status s = core::ExpectArray(*tags, "tags"); !s.ok()) return s;
    for (std::size_t i = 0; i < tags->size(); ++i) {
      if (!(*tags)[i].is_string()) return core::Invalid(IndexPath("tags", i), "must be a string");
      model->tags.push_back((*tags)[i].get<std::string>());
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view ModelKindName(ModelKind kind) {
  return kind == ModelKind::kOpenAiChat ? "openai_chat" : "http_json";
}

bool ModelVersion::HasTag(const std::string& tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

Status ValidateModelVersion(const ModelVersion& model) {
  if (Status s = ValidateModelName(model.name); !s.ok()) return s;
  if (Status s = ValidateModelVersionString(model.version); !s.ok()) return s;
  if (Status s = ValidateBaseUrl(model.upstream.base_url); !s.ok()) return s;
  if (model.kind == ModelKind::kOpenAiChat && model.upstream.model.empty())
    return Status::InvalidArgument("upstream.model is required for an openai_chat model", "upstream.model");
  if (model.upstream.model.size() > 256)
    return Status::InvalidArgument("upstream.model is longer than 256 characters", "upstream.model");
  if (Status s = ValidateCredentialEnv(model.upstream.credential_env); !s.ok()) return s;
  if (Status s = ValidatePrice(model.prices.input_per_1m, "input_per_1m"); !s.ok()) return s;
  if (Status s = ValidatePrice(model.prices.cached_input_per_1m, "cached_input_per_1m"); !s.ok()) return s;
  if (Status s = ValidatePrice(model.prices.output_per_1m, "output_per_1m"); !s.ok()) return s;
  if (model.artifact) {
    if (model.artifact->uri.empty() || model.artifact->uri.size() > kMaxUrlLength)
      return Status::InvalidArgument("artifact.uri must be 1-2048 characters", "artifact.uri");
    if (model.artifact->sha256.size() != 64 || !IsLowerHex(model.artifact->sha256))
      return Status::InvalidArgument("artifact.sha256 must be 64 lower-case hex digits", "artifact.sha256");
  }
  if (Status s = ValidateBoundedObject(model.training_params, "training_params"); !s.ok()) return s;
  if (Status s = ValidateBoundedObject(model.offline_metrics, "offline_metrics"); !s.ok()) return s;
  if (model.description.size() > kMaxDescriptionLength)
    return Status::InvalidArgument("description is longer than 2000 characters", "description");
  if (model.tags.size() > kMaxTags) return Status::InvalidArgument("at most 32 tags", "tags");
  for (std::size_t i = 0; i < model.tags.size(); ++i) {
    const std::string& tag = model.tags[i];
    bool ok = !tag.empty() && tag.size() <= kMaxTagLength;
    for (char c : tag) ok = ok && static_cast<unsigned char>(c) > ' ' && c != 0x7f;
    if (!ok) return Status::InvalidArgument("a tag is 1-64 characters without spaces", IndexPath("tags", i));
  }
  return Status::Ok();
}

Result<ModelVersion> ModelVersionFromJson(const nlohmann::json& json) {
  ModelVersion model;
  Status read = core::ReadGuarded("model version", "", [&] { return ReadBody(json, &model); });
  if (!read.ok()) return read;
  if (Status s = ValidateModelVersion(model); !s.ok()) return s;
  return model;
}

nlohmann::json ModelVersionToJson(const ModelVersion& model) {
  Json upstream{{"base_url", model.upstream.base_url}, {"model", model.upstream.model}};
  upstream["credential_env"] =
      model.upstream.credential_env.empty() ? Json(nullptr) : Json(model.upstream.credential_env);
  Json out{{"name", model.name},
           {"version", model.version},
           {"reference", model.Reference()},
           {"kind", ModelKindName(model.kind)},
           {"upstream", std::move(upstream)},
           {"prices",
            {{"input_per_1m", model.prices.input_per_1m},
             {"cached_input_per_1m", model.prices.cached_input_per_1m},
             {"output_per_1m", model.prices.output_per_1m}}},
           {"artifact", nullptr},
           {"training_params", model.training_params},
           {"offline_metrics", model.offline_metrics},
           {"description", model.description},
           {"tags", model.tags},
           {"state", ModelStateName(model.state)},
           {"state_changed_at", model.state_changed_at},
           {"created_by", model.created_by},
           {"created_at", model.created_at}};
  if (model.artifact) out["artifact"] = {{"uri", model.artifact->uri}, {"sha256", model.artifact->sha256}};
  return out;
}

Result<ModelVersion> StoredModelVersionFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Status::Corruption("stored model version is not an object");
  auto model = ModelVersionFromJson(json);
  if (!model.ok())
    return Status::Corruption("stored model version does not read back: " + model.status().message());
  auto state = ParseModelState(json.value("state", std::string()));
  if (!state) return Status::Corruption("stored model version has an unknown state");
  model->state = *state;
  model->created_by = json.value("created_by", std::string());
  model->created_at = json.value("created_at", std::string());
  model->state_changed_at = json.value("state_changed_at", std::string());
  return model;
}

}  // namespace switchyard::registry
