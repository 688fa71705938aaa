// A registered model version: what the gateway calls (kind, upstream, credential reference),
// what it costs, where its artifact is, and how it was trained and scored offline.
//
// The credential is a reference only: the NAME of an environment variable the gateway reads when
// it calls the upstream. No secret value is ever part of a ModelVersion, so none can be stored,
// returned or logged.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/lifecycle.h"
#include "switchyard/status.h"

namespace switchyard::registry {

enum class ModelKind {
  kOpenAiChat,  // "openai_chat": an OpenAI-compatible API
  kHttpJson,    // "http_json": JSON in, JSON out over HTTP (non-LLM models)
};

std::string_view ModelKindName(ModelKind kind);

struct Upstream {
  std::string base_url;        // http:// or https://
  std::string model;           // the id the upstream knows it by (required for openai_chat)
  std::string credential_env;  // [A-Z_][A-Z0-9_]*, or empty for none
};

// Per 1M tokens, in the project's currency.
struct Prices {
  double input_per_1m = 0;
  double cached_input_per_1m = 0;
  double output_per_1m = 0;
};

struct Artifact {
  std::string uri;
  std::string sha256;  // 64 lower-case hex
};

struct ModelVersion {
  std::string name;
  std::string version;  // MAJOR.MINOR.PATCH, unique per name
  ModelKind kind = ModelKind::kOpenAiChat;
  Upstream upstream;
  Prices prices;
  std::optional<Artifact> artifact;
  nlohmann::json training_params = nlohmann::json::object();
  nlohmann::json offline_metrics = nlohmann::json::object();
  std::string description;
  std::vector<std::string> tags;
  std::string created_by;  // set by the store from the actor
  std::string created_at;  // set by the store
  ModelState state = ModelState::kRegistered;
  std::string state_changed_at;  // set by the store on every transition (created_at at first)

  std::string Reference() const { return name + "@" + version; }
  bool HasTag(const std::string& tag) const;
};

inline constexpr std::size_t kMaxModelJsonBytes = 16 * 1024;  // training_params, offline_metrics
inline constexpr std::size_t kMaxDescriptionLength = 2000;
inline constexpr std::size_t kMaxTags = 32;

// Every rule above; InvalidArgument naming the field ("upstream.base_url", "tags[2]", ...).
Status ValidateModelVersion(const ModelVersion& model);

// A registration body (strict: unknown members are refused, output-only ones ignored), validated.
Result<ModelVersion> ModelVersionFromJson(const nlohmann::json& json);
// The stored and returned form; reads back with StoredModelVersionFromJson.
nlohmann::json ModelVersionToJson(const ModelVersion& model);
// ModelVersionFromJson plus the output-only members (state, created_*), for the stores.
Result<ModelVersion> StoredModelVersionFromJson(const nlohmann::json& json);

}  // namespace switchyard::registry
