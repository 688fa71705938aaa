#include "gateway/sse_relay.h"

#include <nlohmann/json.hpp>

#include "core/bounded_json.h"

namespace switchyard::gateway {
namespace {

// The end of the first event in `text` (just past its blank line), or npos. Events end with a
// blank line; the SSE grammar allows \n, \r\n and \r line ends.
std::size_t EventEnd(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n') return i + 2;
    if (text[i] == '\r' && i + 3 < text.size() && text[i + 1] == '\n' && text[i + 2] == '\r' &&
        text[i + 3] == '\n')
      return i + 4;
  }
  return std::string_view::npos;
}

// The event's data: its `data:` lines joined by \n (SSE's rule), without the optional space.
std::string DataOf(std::string_view event) {
  std::string data;
  bool first = true;
  while (!event.empty()) {
    std::size_t end = event.find('\n');
    std::string_view line = event.substr(0, end);
    event = end == std::string_view::npos ? std::string_view() : event.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) != "data:") continue;
    line.remove_prefix(5);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!first) data += '\n';
    data.append(line);
    first = false;
  }
  return data;
}

bool NonEmptyString(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
}

}  // namespace

std::string SseRelay::Feed(std::string_view bytes, Clock::time_point now) {
  if (passthrough_) return std::string(bytes);
  pending_.append(bytes);
  std::string out;
  std::size_t start = 0;
  while (true) {
    // Resume the search a few bytes before where the last one stopped (a "\r\n\r\n" may
    // straddle two reads), so a long event arriving in many reads is scanned once, not per read.
    const std::size_t from = scanned_ > start + 3 ? scanned_ - 3 : start;
    std::size_t end = EventEnd(std::string_view(pending_).substr(from));
    if (end == std::string_view::npos) {
      scanned_ = pending_.size();
      break;
    }
    end += from - start;
    std::string_view event = std::string_view(pending_).substr(start, end);
    if (Inspect(event, now)) out.append(event);
    start += end;
    scanned_ = start;
  }
  pending_.erase(0, start);
  scanned_ = scanned_ > start ? scanned_ - start : 0;
  if (pending_.size() > kMaxEventBytes) {
    passthrough_ = true;
    out += pending_;
    pending_.clear();
    scanned_ = 0;
  }
  return out;
}

std::string SseRelay::Finish() {
  std::string rest;
  rest.swap(pending_);
  return rest;
}

bool SseRelay::Inspect(std::string_view event, Clock::time_point now) {
  const std::string data = DataOf(event);
  if (data.empty()) return true;
  if (data == "[DONE]") {
    done_ = true;
    return true;
  }
  Result<nlohmann::json> parsed = core::ParseBoundedJson(data);
  if (!parsed.ok() || !parsed.value().is_object()) return true;  // not ours to judge: forwarded
  const nlohmann::json& chunk = parsed.value();
  if (auto error = chunk.find("error"); error != chunk.end() && !error->is_null()) {
    std::string message = "upstream error";
    if (error->is_object() && NonEmptyString(*error, "message"))
      message = (*error)["message"].get<std::string>();
    error_ = std::move(message);
    return true;
  }
  // Responses API: usage sits in response.completed's response.
  const nlohmann::json* usage_holder = &chunk;
  if (auto response = chunk.find("response"); response != chunk.end() && response->is_object())
    usage_holder = &*response;
  bool usage_only = false;
  if (auto usage = usage_holder->find("usage"); usage != usage_holder->end() && !usage->is_null()) {
    if (std::optional<TokenUsage> read = ReadUsage(*usage)) usage_ = read;
    auto choices = chunk.find("choices");
    usage_only = choices != chunk.end() && choices->is_array() && choices->empty();
  }
  bool token = false;
  if (auto choices = chunk.find("choices"); choices != chunk.end() && choices->is_array()) {
    for (const nlohmann::json& choice : *choices) {
      if (!choice.is_object()) continue;
      auto delta = choice.find("delta");
      if (delta == choice.end() || !delta->is_object()) {
        // Legacy completions stream `text` in the choice itself.
        if (NonEmptyString(choice, "text")) {
          token = true;
          if (choice.value("index", 0) == 0) AddContent(choice["text"].get_ref<const std::string&>());
        }
        continue;
      }
      if (NonEmptyString(*delta, "content")) {
        token = true;
        if (choice.value("index", 0) == 0) AddContent((*delta)["content"].get_ref<const std::string&>());
      }
      if (delta->contains("tool_calls") || NonEmptyString(*delta, "reasoning_content") ||
          NonEmptyString(*delta, "refusal"))
        token = true;
    }
  }
  if (auto type = chunk.find("type"); type != chunk.end() && type->is_string() &&
                                      type->get_ref<const std::string&>() == "response.output_text.delta") {
    token = true;
    if (NonEmptyString(chunk, "delta")) AddContent(chunk["delta"].get_ref<const std::string&>());
  }
  if (token && !first_token_at_) first_token_at_ = now;
  return !(usage_only && hide_usage_chunk_);
}

void SseRelay::AddContent(std::string_view text) {
  content_bytes_ += text.size();
  if (content_.size() >= kMaxContentBytes) return;
  content_.append(text.substr(0, kMaxContentBytes - content_.size()));
}

}  // namespace switchyard::gateway
