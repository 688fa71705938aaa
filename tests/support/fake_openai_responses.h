// What the fake OpenAI-compatible upstream answers: the scenario a request's `model` selects, and
// the JSON bodies (chat completion, its stream chunks, completions, embeddings, responses, invoke).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchyard::testing {

// Chosen by the request's `model` (anything not listed: kEcho, so real model names work).
enum class FakeScenario {
  kEcho,         // echo: a normal answer
  kSlow,         // slow-<ms>: a normal answer after <ms>
  kFail500,      // fail-500
  kFail429,      // fail-429 (Retry-After: 1), fail-429-<ms> (retry-after-ms: <ms>)
  kFailThenOk,   // fail-then-ok-<n>: the first <n> calls per test key get 503, then normal answers
  kGarbage,      // garbage: 200 with a malformed JSON body
  kHang,         // hang: never answers (waits until the client closes)
  kStall,        // stall: the head and a first part of the body, then nothing until the client closes
  kTruncate,     // truncate: a head announcing more body than is sent, then the connection closes
  kBig,          // big-<bytes>: a 200 whose body is <bytes> long
  kDrip,         // drip-<ms>: streamed, one chunk every <ms>
  kStreamBreak,  // stream-break: the stream's first chunks, then the connection closes
};

struct FakeRequestPlan {
  FakeScenario scenario = FakeScenario::kEcho;
  long number = 0;  // the <ms>, <n> or <bytes>; -1 for fail-429 without one
};

FakeRequestPlan ParseFakeModel(std::string_view model);

// The text every normal answer carries, and how it is split into stream chunks.
std::vector<std::string> FakeReplyWords();

nlohmann::json FakeChatCompletion(const std::string& model);
// The SSE events of a streamed chat completion, each "data: ...\n\n", ending with [DONE]; the
// usage chunk only when `include_usage`.
std::vector<std::string> FakeChatCompletionEvents(const std::string& model, bool include_usage);
nlohmann::json FakeTextCompletion(const std::string& model);
nlohmann::json FakeEmbeddings(const std::string& model, const nlohmann::json& input);
nlohmann::json FakeResponse(const std::string& model);
// POST /invoke: numeric fields a generic model returns, and what it was given.
nlohmann::json FakeInvoke(const nlohmann::json& request);
nlohmann::json FakeError(const std::string& message, const std::string& type, const std::string& code);

}  // namespace switchyard::testing
