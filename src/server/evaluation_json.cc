#include "server/evaluation_json.h"

#include <nlohmann/json.hpp>

#include "server/answer_writer.h"

namespace switchyard::server {
namespace {

// Room for everything WriteResult writes but the payload: the literals (~120 bytes), two numbers
// and the strings.
std::size_t ResultBound(const FlagResult& result) {
  return 160 + 2 * AnswerWriter::kIntBound + AnswerWriter::QuotedBound(result.key) +
         (result.variant ? 2 * AnswerWriter::QuotedBound(*result.variant) : 0) +
         AnswerWriter::QuotedBound(ReasonName(result.reason)) + AnswerWriter::QuotedBound(result.detail);
}

void WriteResult(AnswerWriter& w, const FlagResult& result) {
  w.Room(ResultBound(result));
  w.Literal("{\"key\":");
  w.Quoted(result.key);
  if (result.enabled) {
    w.Literal(",\"enabled\":true,\"value\":");
  } else {
    w.Literal(",\"enabled\":false,\"value\":");
  }
  if (result.variant) {
    w.Quoted(*result.variant);
    w.Literal(",\"variant\":");
    w.Quoted(*result.variant);
  } else if (result.enabled) {
    w.Literal("true,\"variant\":null");
  } else {
    w.Literal("false,\"variant\":null");
  }
  w.Literal(",\"payload\":");
  if (result.payload) {
    const std::string payload =
        result.payload->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    w.Room(payload.size() + ResultBound(result));  // the payload and everything after it
    w.Raw(payload);
  } else {
    w.Literal("null");
  }
  w.Literal(",\"reason\":");
  w.Quoted(ReasonName(result.reason));
  w.Literal(",\"condition_index\":");
  if (result.condition_index) {
    w.Int(*result.condition_index);
  } else {
    w.Literal("null");
  }
  w.Literal(",\"version\":");
  w.Int(result.version);
  if (!result.detail.empty()) {
    w.Literal(",\"detail\":");
    w.Quoted(result.detail);
  }
  w.Char('}');
}

}  // namespace

std::string EvaluationResponseJson(std::string_view distinct_id, const std::vector<FlagResult>& results) {
  // Room for all of it but payloads up front, so the Room calls below rarely grow the buffer.
  std::size_t bound = 32 + AnswerWriter::QuotedBound(distinct_id);
  for (const FlagResult& result : results)
    bound += 2 + AnswerWriter::QuotedBound(result.key) + ResultBound(result);
  AnswerWriter w(bound);
  w.Room(32 + AnswerWriter::QuotedBound(distinct_id));
  w.Literal("{\"distinct_id\":");
  w.Quoted(distinct_id);
  w.Literal(",\"flags\":{");
  for (std::size_t i = 0; i < results.size(); ++i) {
    w.Room(2 + AnswerWriter::QuotedBound(results[i].key));
    if (i > 0) w.Char(',');
    w.Quoted(results[i].key);
    w.Char(':');
    WriteResult(w, results[i]);
  }
  w.Room(2);
  w.Literal("}}");
  return w.Take();
}

}  // namespace switchyard::server
