#include "support/fake_openai_responses.h"

#include <charconv>

namespace switchyard::testing {
namespace {

using Json = nlohmann::json;

constexpr long kCreated = 1767225600;  // fixed, so answers are comparable byte for byte
constexpr int kPromptTokens = 12, kCachedTokens = 4, kCompletionTokens = 7, kReasoningTokens = 3;

long NumberAfter(std::string_view model, std::string_view prefix) {
  std::string_view digits = model.substr(prefix.size());
  long value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return ec == std::errc() && ptr == digits.data() + digits.size() && value >= 0 ? value : -1;
}

Json Usage() {
  return {{"prompt_tokens", kPromptTokens},
          {"completion_tokens", kCompletionTokens},
          {"total_tokens", kPromptTokens + kCompletionTokens},
          {"prompt_tokens_details", {{"cached_tokens", kCachedTokens}}},
          {"completion_tokens_details", {{"reasoning_tokens", kReasoningTokens}}}};
}

std::string ReplyText() {
  std::string text;
  for (const auto& word : FakeReplyWords()) text += word;
  return text;
}

std::string Event(const Json& chunk) {
  return "data: " + chunk.dump() + "\n\n";
}

}  // namespace

FakeRequestPlan ParseFakeModel(std::string_view model) {
  struct Prefixed {
    std::string_view prefix;
    FakeScenario scenario;
  };
  static constexpr Prefixed kNumbered[] = {{"slow-", FakeScenario::kSlow},
                                           {"fail-then-ok-", FakeScenario::kFailThenOk},
                                           {"fail-429-", FakeScenario::kFail429},
                                           {"big-", FakeScenario::kBig},
                                           {"drip-", FakeScenario::kDrip}};
  for (const auto& [prefix, scenario] : kNumbered) {
    if (model.starts_with(prefix)) {
      long number = NumberAfter(model, prefix);
      if (number >= 0) return {scenario, number};
    }
  }
  if (model == "fail-500") return {FakeScenario::kFail500, 0};
  if (model == "fail-429") return {FakeScenario::kFail429, -1};
  if (model == "garbage") return {FakeScenario::kGarbage, 0};
  if (model == "hang") return {FakeScenario::kHang, 0};
  if (model == "stall") return {FakeScenario::kStall, 0};
  if (model == "truncate") return {FakeScenario::kTruncate, 0};
  if (model == "stream-break") return {FakeScenario::kStreamBreak, 0};
  return {FakeScenario::kEcho, 0};
}

std::vector<std::string> FakeReplyWords() {
  return {"Hello", " from", " the", " fake", " upstream."};
}

Json FakeChatCompletion(const std::string& model) {
  return {{"id", "chatcmpl-fake"},
          {"object", "chat.completion"},
          {"created", kCreated},
          {"model", model},
          {"choices",
           Json::array({{{"index", 0},
                         {"message", {{"role", "assistant"}, {"content", ReplyText()}, {"refusal", nullptr}}},
                         {"logprobs", nullptr},
                         {"finish_reason", "stop"}}})},
          {"usage", Usage()}};
}

std::vector<std::string> FakeChatCompletionEvents(const std::string& model, bool include_usage) {
  auto chunk = [&](Json delta, Json finish_reason) {
    Json out = {{"id", "chatcmpl-fake"},
                {"object", "chat.completion.chunk"},
                {"created", kCreated},
                {"model", model},
                {"choices", Json::array({{{"index", 0},
                                          {"delta", std::move(delta)},
                                          {"logprobs", nullptr},
                                          {"finish_reason", std::move(finish_reason)}}})}};
    if (include_usage) out["usage"] = nullptr;  // as OpenAI: every chunk has it, null until the last
    return out;
  };
  std::vector<std::string> events;
  events.push_back(Event(chunk({{"role", "assistant"}, {"content", ""}}, nullptr)));
  for (const auto& word : FakeReplyWords()) events.push_back(Event(chunk({{"content", word}}, nullptr)));
  events.push_back(Event(chunk(Json::object(), "stop")));
  if (include_usage) {
    events.push_back(Event({{"id", "chatcmpl-fake"},
                            {"object", "chat.completion.chunk"},
                            {"created", kCreated},
                            {"model", model},
                            {"choices", Json::array()},
                            {"usage", Usage()}}));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

Json FakeTextCompletion(const std::string& model) {
  return {{"id", "cmpl-fake"},
          {"object", "text_completion"},
          {"created", kCreated},
          {"model", model},
          {"choices",
           Json::array(
               {{{"text", ReplyText()}, {"index", 0}, {"logprobs", nullptr}, {"finish_reason", "stop"}}})},
          {"usage", Usage()}};
}

Json FakeEmbeddings(const std::string& model, const Json& input) {
  std::size_t count = input.is_array() ? std::max<std::size_t>(input.size(), 1) : 1;
  Json data = Json::array();
  for (std::size_t i = 0; i < count; ++i) {
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", {0.25, -0.5, 0.125}}});
  }
  return {{"object", "list"},
          {"data", std::move(data)},
          {"model", model},
          {"usage", {{"prompt_tokens", kPromptTokens}, {"total_tokens", kPromptTokens}}}};
}

Json FakeResponse(const std::string& model) {
  Json content =
      Json::array({{{"type", "output_text"}, {"text", ReplyText()}, {"annotations", Json::array()}}});
  return {{"id", "resp_fake"},
          {"object", "response"},
          {"created_at", kCreated},
          {"status", "completed"},
          {"model", model},
          {"output", Json::array({{{"type", "message"},
                                   {"id", "msg_fake"},
                                   {"status", "completed"},
                                   {"role", "assistant"},
                                   {"content", std::move(content)}}})},
          {"usage",
           {{"input_tokens", kPromptTokens},
            {"input_tokens_details", {{"cached_tokens", kCachedTokens}}},
            {"output_tokens", kCompletionTokens},
            {"output_tokens_details", {{"reasoning_tokens", kReasoningTokens}}},
            {"total_tokens", kPromptTokens + kCompletionTokens}}}};
}

Json FakeInvoke(const Json& request) {
  Json params = request.is_object() && request.contains("params") ? request["params"] : request;
  return {{"makespan", 12.5}, {"utilization", 0.8}, {"echo", std::move(params)}};
}

Json FakeError(const std::string& message, const std::string& type, const std::string& code) {
  return {{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

}  // namespace switchyard::testing
