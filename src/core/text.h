// Small text helpers shared by the JSON layer and the evaluator. ASCII only on purpose: PostHog's
// case-insensitive operators lower-case ASCII in every SDK we must agree with, and locale-aware
// folding would make evaluation depend on the machine.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace switchyard::core {

std::string_view Trim(std::string_view text);
std::string AsciiLower(std::string_view text);
// ASCII case-insensitive equality against an already lower-cased `lower` (filter values are
// lower-cased once, at Build).
bool EqualsLowered(std::string_view text, std::string_view lower);
inline char LowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// The whole (trimmed) text as a finite number; nullopt for "", "12abc", "inf", "nan".
std::optional<double> ParseNumber(std::string_view text);
// A JSON number, or a string holding one; nullopt for everything else (booleans included).
std::optional<double> NumberOf(const nlohmann::json& value);

// How a property value reads as text, the way PostHog's SDKs print it: strings as is, integers
// without ".0", floats in shortest round-trip form ("1.0", "3.5"), true/false, anything else as
// compact JSON. Appends to `out` so that the evaluator can reuse one buffer.
void AppendStringified(const nlohmann::json& value, std::string* out);
std::string Stringify(const nlohmann::json& value);

// True when `key` is 1..200 characters of [A-Za-z0-9_.-] and not "." or ".." (flag keys and cohort
// ids).
bool IsValidKey(std::string_view key);

}  // namespace switchyard::core
