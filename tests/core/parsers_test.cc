// The hand-written parsers behind dates and versions, directly (the operator tests cover them
// through the evaluator).
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "core/date_value.h"
#include "core/semver.h"

namespace switchyard::core {
namespace {

using namespace std::chrono;

Micros At(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return Micros(sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss});
}

TEST(DateValueTest, IsoForms) {
  EXPECT_EQ(ParseIsoDateTime("2024-02-29"), At(2024, 2, 29));
  EXPECT_EQ(ParseIsoDateTime("2024-02-29T10:20"), At(2024, 2, 29, 10, 20));
  EXPECT_EQ(ParseIsoDateTime("2024-02-29T10:20:30Z"), At(2024, 2, 29, 10, 20, 30));
  EXPECT_EQ(ParseIsoDateTime("2024-02-29t10:20:30z"), At(2024, 2, 29, 10, 20, 30));
  EXPECT_EQ(ParseIsoDateTime("2024-02-29T10:20:30+02:00"), At(2024, 2, 29, 8, 20, 30));
  EXPECT_EQ(ParseIsoDateTime("2024-02-29T10:20:30-0130"), At(2024, 2, 29, 11, 50, 30));
  EXPECT_EQ(ParseIsoDateTime(" 2024-02-29 10:20:30 "), At(2024, 2, 29, 10, 20, 30));
  EXPECT_EQ(ParseIsoDateTime("2024-02-29T10:20:30.123456789Z"),
            At(2024, 2, 29, 10, 20, 30) + microseconds(123456));
  EXPECT_EQ(ParseIsoDateTime("1969-12-31T23:59:59Z"), At(1969, 12, 31, 23, 59, 59));
}

TEST(DateValueTest, MalformedDates) {
  for (const char* bad : {"", "2024", "2024-1-01", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32",
                          "2024-01-01T25:00", "2024-01-01T10", "2024-01-01T10:60", "2024-01-01T10:00:61",
                          "2024-01-01T10:00:00.Z", "2024-01-01T10:00:00+5", "2024-01-01T10:00:00+24:00",
                          "2024-01-01T10:00:00 UTC", "2024-01-01X", "yesterday", "-7d"}) {
    EXPECT_FALSE(ParseIsoDateTime(bad).has_value()) << bad;
  }
}

TEST(DateValueTest, RelativeTargets) {
  const system_clock::time_point now = sys_days{year{2024} / March / 31} + hours{12};
  EXPECT_EQ(DateTarget::Parse("-12h")->Resolve(now), At(2024, 3, 31));
  EXPECT_EQ(DateTarget::Parse("-1d")->Resolve(now), At(2024, 3, 30, 12));
  EXPECT_EQ(DateTarget::Parse("2w")->Resolve(now), At(2024, 3, 17, 12));
  EXPECT_EQ(DateTarget::Parse("-1m")->Resolve(now), At(2024, 2, 29, 12));  // clamped to February's end
  EXPECT_EQ(DateTarget::Parse("-13m")->Resolve(now), At(2023, 2, 28, 12));
  EXPECT_EQ(DateTarget::Parse("-1y")->Resolve(now), At(2023, 3, 31, 12));
  EXPECT_EQ(DateTarget::Parse("2024-01-01")->Resolve(now), At(2024, 1, 1));
  for (const char* bad : {"", "-", "d", "-7", "-7x", "-7D", "--7d", "-1.5d", "-99999d", "- 7d", "+7d"}) {
    EXPECT_FALSE(DateTarget::Parse(bad).has_value()) << bad;
  }
}

TEST(DateValueTest, PropertyDates) {
  EXPECT_EQ(PropertyDate(1700000000), Micros(seconds(1700000000)));
  EXPECT_EQ(PropertyDate(1700000000123), Micros(milliseconds(1700000000123)));
  EXPECT_EQ(PropertyDate(1.5), Micros(microseconds(1500000)));
  EXPECT_EQ(PropertyDate("2024-01-01"), At(2024, 1, 1));
  EXPECT_FALSE(PropertyDate(true).has_value());
  EXPECT_FALSE(PropertyDate("1700000000").has_value());
  EXPECT_FALSE(PropertyDate(1e300).has_value());
  EXPECT_FALSE(PropertyDate(nlohmann::json::array()).has_value());
}

TEST(SemverTest, Parsing) {
  EXPECT_EQ(ParseSemver("1.2.3"), (Semver{1, 2, 3}));
  EXPECT_EQ(ParseSemver("v1.2"), (Semver{1, 2, 0}));
  EXPECT_EQ(ParseSemver("V7"), (Semver{7, 0, 0}));
  EXPECT_EQ(ParseSemver(" 1.2.3-rc.1+build.7 "), (Semver{1, 2, 3}));
  EXPECT_EQ(ParseSemver("1.2.3+build-7"), (Semver{1, 2, 3}));
  for (const char* bad :
       {"", "v", "1.", ".1", "1..2", "1.2.3.4", "1.x", "a.b.c", "1.-2", "-1", "1.2.3a", "1.2.*"}) {
    EXPECT_FALSE(ParseSemver(bad).has_value()) << bad;
  }
}

TEST(SemverTest, Ranges) {
  EXPECT_EQ(TildeRange("1.2.3")->upper, (Semver{1, 3, 0}));
  EXPECT_EQ(CaretRange("1.2.3")->upper, (Semver{2, 0, 0}));
  EXPECT_EQ(CaretRange("0.2.3")->upper, (Semver{0, 3, 0}));
  EXPECT_EQ(CaretRange("0.0.3")->upper, (Semver{0, 0, 4}));
  EXPECT_EQ(WildcardRange("1.2.*")->lower, (Semver{1, 2, 0}));
  EXPECT_EQ(WildcardRange("1.2.*")->upper, (Semver{1, 3, 0}));
  EXPECT_EQ(WildcardRange("1.*")->upper, (Semver{2, 0, 0}));
  EXPECT_FALSE(WildcardRange("*")->upper.has_value());
  EXPECT_TRUE(WildcardRange("*")->Contains(Semver{999, 0, 0}));
  EXPECT_EQ(WildcardRange("1.2.3")->upper, (Semver{1, 2, 4}));
  for (const char* bad : {"", "1.*.3", "*.1", "1.2.3.*", "x.*"})
    EXPECT_FALSE(WildcardRange(bad).has_value()) << bad;
  EXPECT_FALSE(TildeRange("abc").has_value());
  EXPECT_FALSE(CaretRange("1.x").has_value());
}

// Regression: `part + 1` overflowed at the largest part (UB; the wrapped bound matched nothing).
TEST(SemverTest, RangesAtTheLargestPartsCarryInsteadOfOverflowing) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::string max = std::to_string(kMax);
  EXPECT_EQ(TildeRange("1." + max + ".3")->upper, (Semver{2, 0, 0}));
  EXPECT_TRUE(TildeRange("1." + max + ".3")->Contains(Semver{1, kMax, kMax}));
  EXPECT_EQ(CaretRange("0.0." + max)->upper, (Semver{0, 1, 0}));
  EXPECT_EQ(WildcardRange("4." + max + "." + max)->upper, (Semver{5, 0, 0}));
  EXPECT_TRUE(WildcardRange(max + ".*")->Contains(Semver{kMax, 7, 0}));
  EXPECT_FALSE(WildcardRange(max + ".*")->upper.has_value());
  EXPECT_FALSE(CaretRange(max + ".0.0")->upper.has_value());
  EXPECT_TRUE(CaretRange(max + ".0.0")->Contains(Semver{kMax, kMax, kMax}));
  EXPECT_FALSE(CaretRange(max + ".0.0")->Contains(Semver{kMax - 1, kMax, kMax}));
  // One past the largest part is not a version at all (so it is refused on write).
  EXPECT_FALSE(ParseSemver("9223372036854775808.0.0").has_value());
  EXPECT_FALSE(TildeRange("1.99999999999999999999").has_value());
}

}  // namespace
}  // namespace switchyard::core
