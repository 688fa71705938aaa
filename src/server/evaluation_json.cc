#include "server/evaluation_json.h"

#include <nlohmann/json.hpp>

namespace switchyard::server {
namespace {

void AppendJson(std::string& out, const nlohmann::json& value) {
  out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendResult(std::string& out, const FlagResult& result) {
  out += "{\"key\":";
  AppendJsonString(out, result.key);
  out += result.enabled ? ",\"enabled\":true" : ",\"enabled\":false";
  out += ",\"value\":";
  if (result.variant) {
    AppendJsonString(out, *result.variant);
    out += ",\"variant\":";
    AppendJsonString(out, *result.variant);
  } else {
    out += result.enabled ? "true" : "false";
    out += ",\"variant\":null";
  }
  out += ",\"payload\":";
  if (result.payload) {
    AppendJson(out, *result.payload);
  } else {
    out += "null";
  }
  out += ",\"reason\":";
  AppendJsonString(out, ReasonName(result.reason));
  out += ",\"condition_index\":";
  out += result.condition_index ? std::to_string(*result.condition_index) : "null";
  out += ",\"version\":";
  out += std::to_string(result.version);
  if (!result.detail.empty()) {
    out += ",\"detail\":";
    AppendJsonString(out, result.detail);
  }
  out += '}';
}

}  // namespace

std::string EvaluationResponseJson(std::string_view distinct_id, const std::vector<FlagResult>& results) {
  std::string out;
  out.reserve(64 + results.size() * 160);
  out += "{\"distinct_id\":";
  AppendJsonString(out, distinct_id);
  out += ",\"flags\":{";
  for (size_t i = 0; i < results.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, results[i].key);
    out += ':';
    AppendResult(out, results[i]);
  }
  out += "}}";
  return out;
}

}  // namespace switchyard::server
