#include "core/json_object_writer.h"

#include <charconv>
#include <cmath>
#include <utility>

namespace switchyard::core {

void AppendJsonString(std::string& out, std::string_view text) {
  if (!IsPlainJsonText(text)) {
    // Escapes and UTF-8 repair are nlohmann's: rare here, and the rules must match its output.
    out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

JsonObjectWriter::JsonObjectWriter(std::size_t reserve) {
  out_.reserve(reserve);
  out_ += '{';
}

void JsonObjectWriter::Key(std::string_view key) {
  if (out_.size() > 1) out_ += ',';
  AppendJsonString(out_, key);
  out_ += ':';
}

void JsonObjectWriter::String(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(out_, value);
}

void JsonObjectWriter::Bool(std::string_view key, bool value) {
  Key(key);
  out_ += value ? "true" : "false";
}

void JsonObjectWriter::Int(std::string_view key, std::int64_t value) {
  Key(key);
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
}

void JsonObjectWriter::Number(std::string_view key, double value) {
  Key(key);
  if (!std::isfinite(value)) {
    out_ += "null";
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
}

void JsonObjectWriter::Value(std::string_view key, const nlohmann::json& value) {
  Key(key);
  out_ += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JsonObjectWriter::Finish() {
  out_ += '}';
  std::string done = std::move(out_);
  out_ = "{";
  return done;
}

}  // namespace switchyard::core
