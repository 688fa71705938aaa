// Every operator through the public evaluator, including the awkward inputs: a missing or null
// property, a number against a string, malformed dates and versions, relative dates against a
// fixed `now`. One table row = one filter {"key":"p", operator, value} against one property.
#include "core/property_match.h"

#include <gtest/gtest.h>

#include "core/flag_test_util.h"

namespace switchyard {
namespace {

using nlohmann::json;
using testing_util::BuildSet;
using testing_util::Context;
using testing_util::OneGroupFlag;

enum class Want { kTrue, kFalse, kMissing };

struct OperatorCase {
  std::string name;
  std::string op;
  json value;
  json property;  // the value of "p"; kAbsent for no property at all
  Want want;
};

const json kAbsent = "<<absent>>";
const json kNull = nullptr;

// 2024-03-31T12:00:00Z: relative dates resolve against this, never the wall clock.
std::chrono::system_clock::time_point FixedNow() {
  using namespace std::chrono;
  return sys_days{year{2024} / March / 31} + hours{12};
}

class OperatorTest : public testing::TestWithParam<OperatorCase> {};

TEST_P(OperatorTest, Evaluates) {
  const OperatorCase& c = GetParam();
  json filter = {{"key", "p"}, {"operator", c.op}};
  if (!c.value.is_null()) filter["value"] = c.value;
  const auto set = BuildSet({OneGroupFlag("f", json::array({filter}))});
  EvaluationContext context = Context("user-1");
  if (c.property != kAbsent) context.properties["p"] = c.property;
  context.now = FixedNow();
  const FlagResult result = set->Evaluate("f", context);
  switch (c.want) {
    case Want::kTrue:
      EXPECT_TRUE(result.enabled) << ReasonName(result.reason) << " " << result.detail;
      EXPECT_EQ(result.reason, Reason::kConditionMatch);
      break;
    case Want::kFalse:
      EXPECT_FALSE(result.enabled);
      EXPECT_EQ(result.reason, Reason::kNoConditionMatch) << ReasonName(result.reason);
      break;
    case Want::kMissing:
      EXPECT_FALSE(result.enabled);
      EXPECT_EQ(result.reason, Reason::kMissingProperty) << ReasonName(result.reason);
      EXPECT_NE(result.detail.find("\"p\""), std::string::npos) << result.detail;
      break;
  }
}

std::vector<OperatorCase> EqualityCases() {
  return {
      // exact / is_not
      {"exact_case_insensitive", "exact", "Pro", "pRO", Want::kTrue},
      {"exact_different", "exact", "pro", "free", Want::kFalse},
      {"exact_list_member", "exact", {"x", "Y"}, "y", Want::kTrue},
      {"exact_list_not_member", "exact", {"x", "y"}, "z", Want::kFalse},
      {"exact_list_numbers", "exact", {1, 2, 3}, "2", Want::kTrue},
      {"exact_number_vs_string", "exact", 10, "10", Want::kTrue},
      {"exact_number_vs_float_string", "exact", 10, "10.0", Want::kTrue},
      {"exact_string_vs_number", "exact", "10", 10, Want::kTrue},
      {"exact_float_vs_int", "exact", 1.5, "1.50", Want::kTrue},
      {"exact_number_vs_text", "exact", "abc", 5, Want::kFalse},
      {"exact_bool", "exact", true, true, Want::kTrue},
      {"exact_bool_vs_string", "exact", "TRUE", true, Want::kTrue},
      {"exact_bool_false", "exact", "true", false, Want::kFalse},
      {"exact_missing", "exact", "x", kAbsent, Want::kMissing},
      {"exact_null", "exact", "x", kNull, Want::kMissing},
      {"is_not_different", "is_not", "pro", "free", Want::kTrue},
      {"is_not_same_case", "is_not", "pro", "PRO", Want::kFalse},
      {"is_not_list", "is_not", {"a", "b"}, "c", Want::kTrue},
      {"is_not_list_member", "is_not", {"a", "b"}, "B", Want::kFalse},
      {"is_not_numeric", "is_not", 10, "10.0", Want::kFalse},
      {"is_not_missing", "is_not", "x", kAbsent, Want::kMissing},
      {"is_not_null", "is_not", "x", kNull, Want::kMissing},
  };
}

std::vector<OperatorCase> PresenceCases() {
  return {
      // is_set / is_not_set: absence is an answer, not "missing"
      {"is_set_present", "is_set", "is_set", "", Want::kTrue},
      {"is_set_false_value", "is_set", kNull, false, Want::kTrue},
      {"is_set_absent", "is_set", kNull, kAbsent, Want::kFalse},
      {"is_set_null", "is_set", kNull, kNull, Want::kFalse},
      {"is_not_set_absent", "is_not_set", kNull, kAbsent, Want::kTrue},
      {"is_not_set_null", "is_not_set", kNull, kNull, Want::kTrue},
      {"is_not_set_present", "is_not_set", kNull, 0, Want::kFalse},
  };
}

std::vector<OperatorCase> TextCases() {
  return {
      // text operators: printed, ASCII lower-cased
      {"icontains", "icontains", "ACME", "jane@acme.com", Want::kTrue},
      {"icontains_no", "icontains", "acme", "jane@example.com", Want::kFalse},
      {"icontains_number_value", "icontains", 12, "a123", Want::kTrue},
      {"icontains_number_property", "icontains", "12", 5123, Want::kTrue},
      {"icontains_float_property", "icontains", ".0", 2.0, Want::kTrue},
      {"icontains_bool_property", "icontains", "ru", true, Want::kTrue},
      {"icontains_missing", "icontains", "x", kAbsent, Want::kMissing},
      {"not_icontains", "not_icontains", "acme", "jane@example.com", Want::kTrue},
      {"not_icontains_no", "not_icontains", "ACME", "jane@acme.com", Want::kFalse},
      {"not_icontains_missing", "not_icontains", "x", kNull, Want::kMissing},
      {"starts_with", "starts_with", "Jan", "jane", Want::kTrue},
      {"starts_with_no", "starts_with", "ane", "jane", Want::kFalse},
      {"starts_with_longer", "starts_with", "janet", "jane", Want::kFalse},
      {"not_starts_with", "not_starts_with", "x", "jane", Want::kTrue},
      {"not_starts_with_no", "not_starts_with", "JA", "jane", Want::kFalse},
      {"ends_with", "ends_with", ".COM", "a@b.com", Want::kTrue},
      {"ends_with_no", "ends_with", ".org", "a@b.com", Want::kFalse},
      {"ends_with_number", "ends_with", 5, 12345, Want::kTrue},
      {"not_ends_with", "not_ends_with", ".org", "a@b.com", Want::kTrue},
      {"not_ends_with_no", "not_ends_with", "com", "a@b.com", Want::kFalse},
      {"starts_with_missing", "starts_with", "x", kAbsent, Want::kMissing},
      {"ends_with_missing", "not_ends_with", "x", kAbsent, Want::kMissing},
  };
}

std::vector<OperatorCase> RegexCases() {
  return {
      // regex: RE2, partial match, case-sensitive
      {"regex_full", "regex", "^a.c$", "abc", Want::kTrue},
      {"regex_partial", "regex", "b", "abc", Want::kTrue},
      {"regex_case_sensitive", "regex", "^a.c$", "ABC", Want::kFalse},
      {"regex_number_property", "regex", "^12", 123, Want::kTrue},
      {"regex_missing", "regex", "x", kAbsent, Want::kMissing},
      {"not_regex", "not_regex", "^x", "abc", Want::kTrue},
      {"not_regex_no", "not_regex", "b", "abc", Want::kFalse},
      {"not_regex_null", "not_regex", "b", kNull, Want::kMissing},
  };
}

std::vector<OperatorCase> OrderCases() {
  return {
      // gt / gte / lt / lte: numeric when both sides are numbers, else printed bytes
      {"gt_numbers", "gt", 9, 10, Want::kTrue},
      {"gt_numeric_string_property", "gt", 9, "10", Want::kTrue},
      {"gt_numeric_strings", "gt", "9", "10", Want::kTrue},
      {"gt_equal", "gt", 10, 10, Want::kFalse},
      {"gte_equal_trimmed", "gte", 7, " 7 ", Want::kTrue},
      {"lte_equal_float", "lte", 7, 7.0, Want::kTrue},
      {"lt_numbers", "lt", 10, 9.5, Want::kTrue},
      {"lt_negative", "lt", 0, "-1", Want::kTrue},
      {"lt_no", "lt", 10, 11, Want::kFalse},
      {"gt_lexicographic", "gt", "apple", "banana", Want::kTrue},
      {"lt_lexicographic", "lt", "apple", "banana", Want::kFalse},
      {"gt_text_vs_number", "gt", 5, "abc", Want::kTrue},   // "abc" > "5" by bytes
      {"lt_partly_numeric", "lt", 10, "9x", Want::kFalse},  // "9x" > "10" by bytes
      {"gte_bool_property", "gte", "true", true, Want::kTrue},
      {"gt_missing", "gt", 1, kAbsent, Want::kMissing},
      {"lte_null", "lte", 1, kNull, Want::kMissing},
  };
}

std::vector<OperatorCase> DateCases() {
  return {
      // dates: ISO-8601 or relative, property ISO or unix seconds/milliseconds
      {"before_date", "is_date_before", "2024-01-01", "2023-12-31", Want::kTrue},
      {"before_equal", "is_date_before", "2024-01-01", "2024-01-01T00:00:00Z", Want::kFalse},
      {"before_offset", "is_date_before", "2024-01-01", "2024-01-01T00:30:00+01:00", Want::kTrue},
      {"before_offset_compact", "is_date_before", "2024-01-01T00:00:00Z", "2024-01-01T05:00:00+0600",
       Want::kTrue},
      {"before_fraction", "is_date_before", "2024-01-01T00:00:00.5Z", "2024-01-01T00:00:00.499999Z",
       Want::kTrue},
      {"before_unix_seconds", "is_date_before", "2024-01-01", 1700000000, Want::kTrue},
      {"before_unix_millis", "is_date_before", "2023-11-14T22:13:21Z", 1700000000000, Want::kTrue},
      {"after_unix_millis", "is_date_after", "2023-11-14T22:13:19Z", 1700000000000.0, Want::kTrue},
      {"after_date", "is_date_after", "2024-01-01", "2024-01-02", Want::kTrue},
      {"after_space_separator", "is_date_after", "2024-01-01T10:00", "2024-01-01 10:00:01", Want::kTrue},
      {"date_garbage_property", "is_date_after", "2024-01-01", "yesterday", Want::kFalse},
      {"date_bad_day_property", "is_date_before", "2024-01-01", "2023-02-30", Want::kFalse},
      {"date_bool_property", "is_date_before", "2024-01-01", true, Want::kFalse},
      {"date_missing", "is_date_after", "2024-01-01", kAbsent, Want::kMissing},
      {"relative_days_after", "is_date_after", "-7d", "2024-03-25", Want::kTrue},  // > 03-24 12:00
      {"relative_days_not_after", "is_date_after", "-7d", "2024-03-24", Want::kFalse},
      {"relative_no_sign", "is_date_after", "7d", "2024-03-25", Want::kTrue},
      {"relative_hours", "is_date_before", "-12h", "2024-03-30T23:59:59Z", Want::kTrue},  // < 03-31 00:00
      {"relative_hours_no", "is_date_before", "-12h", "2024-03-31T00:00:01Z", Want::kFalse},
      {"relative_weeks", "is_date_after", "-2w", "2024-03-17T12:00:01Z", Want::kTrue},
      {"relative_month_clamped", "is_date_after", "-1m", "2024-02-29T12:00:01Z", Want::kTrue},
      {"relative_month_clamped_no", "is_date_after", "-1m", "2024-02-29T11:59:59Z", Want::kFalse},
      {"relative_year", "is_date_before", "-1y", "2023-03-31T11:59:59Z", Want::kTrue},
      {"relative_year_no", "is_date_before", "-1y", "2023-03-31T12:00:01Z", Want::kFalse},
  };
}

std::vector<OperatorCase> SemverCases() {
  return {
      // semver
      {"semver_eq_v", "semver_eq", "1.2.3", "v1.2.3", Want::kTrue},
      {"semver_eq_prerelease", "semver_eq", "1.2.3", "1.2.3-beta.1+build.5", Want::kTrue},
      {"semver_eq_short", "semver_eq", "1.2", "1.2.0", Want::kTrue},
      {"semver_eq_no", "semver_eq", "1.2.3", "1.2.4", Want::kFalse},
      {"semver_neq", "semver_neq", "1.2.3", "1.2.4", Want::kTrue},
      {"semver_neq_unparseable", "semver_neq", "1.2.3", "1.x", Want::kFalse},
      {"semver_gt", "semver_gt", "1.2.3", "1.10.0", Want::kTrue},
      {"semver_gt_no", "semver_gt", "1.2.3", "1.2.3", Want::kFalse},
      {"semver_gte", "semver_gte", "1.2.3", "1.2.3", Want::kTrue},
      {"semver_lt", "semver_lt", "2", "1.99.99", Want::kTrue},
      {"semver_lte", "semver_lte", "2.0.0", "2", Want::kTrue},
      {"semver_lte_no", "semver_lte", "2.0.0", "2.0.1", Want::kFalse},
      {"semver_garbage", "semver_gt", "1.0.0", "abc", Want::kFalse},
      {"semver_four_parts", "semver_gt", "1.0.0", "1.2.3.4", Want::kFalse},
      {"semver_float_property", "semver_eq", "1.2.0", 1.2, Want::kTrue},
      {"semver_missing", "semver_eq", "1.0.0", kAbsent, Want::kMissing},
      {"tilde_in", "semver_tilde", "1.2.3", "1.2.9", Want::kTrue},
      {"tilde_lower", "semver_tilde", "1.2.3", "1.2.2", Want::kFalse},
      {"tilde_upper", "semver_tilde", "1.2.3", "1.3.0", Want::kFalse},
      {"caret_major", "semver_caret", "1.2.3", "1.9.0", Want::kTrue},
      {"caret_major_upper", "semver_caret", "1.2.3", "2.0.0", Want::kFalse},
      {"caret_minor", "semver_caret", "0.2.3", "0.2.9", Want::kTrue},
      {"caret_minor_upper", "semver_caret", "0.2.3", "0.3.0", Want::kFalse},
      {"caret_patch", "semver_caret", "0.0.3", "0.0.3", Want::kTrue},
      {"caret_patch_upper", "semver_caret", "0.0.3", "0.0.4", Want::kFalse},
      {"wildcard_minor", "semver_wildcard", "1.2.*", "1.2.99", Want::kTrue},
      {"wildcard_minor_out", "semver_wildcard", "1.2.*", "1.3.0", Want::kFalse},
      {"wildcard_major", "semver_wildcard", "1.*", "1.99.0", Want::kTrue},
      {"wildcard_major_out", "semver_wildcard", "1.*", "2.0.0", Want::kFalse},
      {"wildcard_any", "semver_wildcard", "*", "0.0.1", Want::kTrue},
      {"wildcard_any_unparseable", "semver_wildcard", "*", "abc", Want::kFalse},
  };
}

std::vector<OperatorCase> Cases() {
  std::vector<OperatorCase> all;
  for (auto part :
       {&EqualityCases, &PresenceCases, &TextCases, &RegexCases, &OrderCases, &DateCases, &SemverCases}) {
    for (OperatorCase& c : part()) all.push_back(std::move(c));
  }
  return all;
}

INSTANTIATE_TEST_SUITE_P(AllOperators, OperatorTest, testing::ValuesIn(Cases()),
                         [](const testing::TestParamInfo<OperatorCase>& p) { return p.param.name; });

// A regex that does not compile can only reach the evaluator if validation was bypassed; both
// regex and not_regex are then false rather than undefined.
TEST(PropertyMatchTest, InvalidRegexIsFalseBothWays) {
  for (const Operator op : {Operator::kRegex, Operator::kNotRegex}) {
    PropertyFilter filter{"p", FilterType::kPerson, op, "(unclosed"};
    core::CompiledFilter compiled;
    compiled.source = &filter;  // regex left null, as Build leaves an invalid pattern
    const json value = "anything";
    EXPECT_EQ(core::MatchPersonFilter(compiled, &value, FixedNow()), core::Match::kNoMatch)
        << OperatorName(op);
  }
}

TEST(PropertyMatchTest, ObjectPropertiesArePrintedAsJsonEvenWithInvalidUtf8) {
  const auto set =
      BuildSet({OneGroupFlag("f", {{{"key", "p"}, {"operator", "icontains"}, {"value", "\"a\":[1"}}})});
  EXPECT_TRUE(set->Evaluate("f", Context("u", {{"p", {{"a", {1, 2}}}}})).enabled);
  const FlagResult bad = set->Evaluate("f", Context("u", {{"p", {{"b", std::string("\xff")}}}}));
  EXPECT_EQ(bad.reason, Reason::kNoConditionMatch);
}

TEST(PropertyMatchTest, PropertiesThatAreNotAnObjectAreMissing) {
  const auto set = BuildSet({OneGroupFlag("f", {{{"key", "p"}, {"value", "x"}}})});
  EvaluationContext context = Context("u", json::array({"p", "x"}));
  EXPECT_EQ(set->Evaluate("f", context).reason, Reason::kMissingProperty);
}

}  // namespace
}  // namespace switchyard
