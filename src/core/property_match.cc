// Operator semantics (see property_match.h). The hot path does not allocate for string
// properties: values are viewed in place, and filter values were lower-cased and parsed at Build.
#include "core/property_match.h"

#include <string>
#include <string_view>

#include "core/text.h"

namespace switchyard::core {
namespace {

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// The property as the SDKs print it; strings are viewed, not copied.
class PropertyText {
 public:
  explicit PropertyText(const nlohmann::json& value) : value_(value) {
    if (value.is_string()) {
      view_ = value.get_ref<const std::string&>();
    } else {
      AppendStringified(value, &buffer_);
      view_ = buffer_;
    }
  }
  std::string_view view() const { return view_; }
  std::optional<double> number() const { return NumberOf(value_); }

 private:
  const nlohmann::json& value_;
  std::string buffer_;
  std::string_view view_;
};

bool StartsWithLower(std::string_view text, std::string_view lower_prefix) {
  return text.size() >= lower_prefix.size() &&
         EqualsLowered(text.substr(0, lower_prefix.size()), lower_prefix);
}

bool EndsWithLower(std::string_view text, std::string_view lower_suffix) {
  return text.size() >= lower_suffix.size() &&
         EqualsLowered(text.substr(text.size() - lower_suffix.size()), lower_suffix);
}

bool ContainsLower(std::string_view text, std::string_view lower_needle) {
  if (lower_needle.empty()) return true;
  for (std::size_t i = 0; i + lower_needle.size() <= text.size(); ++i) {
    if (Lower(text[i]) == lower_needle[0] &&
        EqualsLowered(text.substr(i, lower_needle.size()), lower_needle)) {
      return true;
    }
  }
  return false;
}

bool ExactAny(const CompiledFilter& filter, const PropertyText& property) {
  // Parsing the property as a number is skipped when no filter value is one ("US", "CA").
  const std::optional<double> number = filter.any_number ? property.number() : std::nullopt;
  for (const CompiledValue& value : filter.values) {
    if (number && value.number ? *number == *value.number : EqualsLowered(property.view(), value.lower)) {
      return true;
    }
  }
  return false;
}

// <0, 0, >0 like strcmp: numeric when both sides are numbers, else by printed bytes.
int Compare(const PropertyText& property, const CompiledValue& value) {
  const std::optional<double> number = property.number();
  if (number && value.number) return *number < *value.number ? -1 : (*number > *value.number ? 1 : 0);
  const int c = property.view().compare(value.text);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool MatchDate(const CompiledFilter& filter, const nlohmann::json& property,
               std::chrono::system_clock::time_point now) {
  const std::optional<Micros> date = PropertyDate(property);
  if (!date || !filter.date) return false;
  const Micros target = filter.date->Resolve(now);
  return filter.source->op == Operator::kIsDateBefore ? *date < target : *date > target;
}

bool MatchSemver(const CompiledFilter& filter, const PropertyText& property) {
  const std::optional<Semver> v = ParseSemver(property.view());
  if (!v) return false;
  if (filter.range) return filter.range->Contains(*v);
  if (!filter.version) return false;
  const Semver& target = *filter.version;
  switch (filter.source->op) {
    case Operator::kSemverEq: return *v == target;
    case Operator::kSemverNeq: return *v != target;
    case Operator::kSemverGt: return *v > target;
    case Operator::kSemverGte: return *v >= target;
    case Operator::kSemverLt: return *v < target;
    case Operator::kSemverLte: return *v <= target;
    default: return false;
  }
}

bool MatchText(const CompiledFilter& filter, const PropertyText& property) {
  const std::string_view lower = filter.values.empty() ? std::string_view() : filter.values[0].lower;
  switch (filter.source->op) {
    case Operator::kIContains: return ContainsLower(property.view(), lower);
    case Operator::kNotIContains: return !ContainsLower(property.view(), lower);
    case Operator::kStartsWith: return StartsWithLower(property.view(), lower);
    case Operator::kNotStartsWith: return !StartsWithLower(property.view(), lower);
    case Operator::kEndsWith: return EndsWithLower(property.view(), lower);
    case Operator::kNotEndsWith: return !EndsWithLower(property.view(), lower);
    case Operator::kRegex: return filter.regex && RE2::PartialMatch(property.view(), *filter.regex);
    case Operator::kNotRegex: return filter.regex && !RE2::PartialMatch(property.view(), *filter.regex);
    default: return false;
  }
}

bool MatchOrder(const CompiledFilter& filter, const PropertyText& property) {
  if (filter.values.empty()) return false;
  const int c = Compare(property, filter.values[0]);
  switch (filter.source->op) {
    case Operator::kGt: return c > 0;
    case Operator::kGte: return c >= 0;
    case Operator::kLt: return c < 0;
    case Operator::kLte: return c <= 0;
    default: return false;
  }
}

bool MatchPresent(const CompiledFilter& filter, const nlohmann::json& value,
                  std::chrono::system_clock::time_point now) {
  switch (filter.source->op) {
    case Operator::kIsDateBefore:
    case Operator::kIsDateAfter: return MatchDate(filter, value, now);
    default: break;
  }
  const PropertyText property(value);
  switch (filter.source->op) {
    case Operator::kExact: return ExactAny(filter, property);
    case Operator::kIsNot: return !ExactAny(filter, property);
    case Operator::kGt:
    case Operator::kGte:
    case Operator::kLt:
    case Operator::kLte: return MatchOrder(filter, property);
    case Operator::kSemverEq:
    case Operator::kSemverNeq:
    case Operator::kSemverGt:
    case Operator::kSemverGte:
    case Operator::kSemverLt:
    case Operator::kSemverLte:
    case Operator::kSemverTilde:
    case Operator::kSemverCaret:
    case Operator::kSemverWildcard: return MatchSemver(filter, property);
    default: return MatchText(filter, property);
  }
}

}  // namespace

Match MatchPersonFilter(const CompiledFilter& filter, const nlohmann::json* property,
                        std::chrono::system_clock::time_point now) {
  switch (filter.source->op) {
    case Operator::kIsSet: return property != nullptr ? Match::kMatch : Match::kNoMatch;
    case Operator::kIsNotSet: return property == nullptr ? Match::kMatch : Match::kNoMatch;
    default: break;
  }
  if (property == nullptr) return Match::kMissing;
  return MatchPresent(filter, *property, now) ? Match::kMatch : Match::kNoMatch;
}

}  // namespace switchyard::core
