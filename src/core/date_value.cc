// Hand-written ISO-8601 subset and relative-date parsing (see date_value.h for why).
#include "core/date_value.h"

#include <cmath>

#include "core/text.h"

namespace switchyard::core {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Relative counts above this are refused: they would leave the calendar's range, and no one
// means "10,000 years ago".
constexpr int kMaxRelativeCount = 10000;
constexpr double kMillisecondsThreshold = 1e11;
constexpr double kMaxUnixSeconds = 253402300799.0;  // 9999-12-31T23:59:59Z

// Reads exactly `width` digits at `*pos`.
bool ReadDigits(std::string_view text, std::size_t* pos, int width, int* out) {
  if (*pos + width > text.size()) return false;
  int value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += width;
  *out = value;
  return true;
}

bool Consume(std::string_view text, std::size_t* pos, char c) {
  if (*pos < text.size() && text[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

// ".123456789" -> microseconds (digits past the sixth are dropped).
bool ReadFraction(std::string_view text, std::size_t* pos, microseconds* out) {
  if (!Consume(text, pos, '.') && !Consume(text, pos, ',')) return true;
  std::int64_t micros = 0;
  int digits = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9') {
    if (digits < 6) micros = micros * 10 + (text[*pos] - '0');
    ++digits;
    ++*pos;
  }
  if (digits == 0) return false;
  for (int i = digits; i < 6; ++i) micros *= 10;
  *out = microseconds(micros);
  return true;
}

// "Z", "+HH:MM", "+HHMM" or nothing (UTC) -> offset east of UTC.
bool ReadOffset(std::string_view text, std::size_t* pos, minutes* out) {
  if (*pos == text.size()) return true;
  if (Consume(text, pos, 'Z') || Consume(text, pos, 'z')) return true;
  const char sign = text[*pos];
  if (sign != '+' && sign != '-') return false;
  ++*pos;
  int hh = 0, mm = 0;
  if (!ReadDigits(text, pos, 2, &hh)) return false;
  Consume(text, pos, ':');
  if (!ReadDigits(text, pos, 2, &mm) || hh > 23 || mm > 59) return false;
  *out = minutes((sign == '-' ? -1 : 1) * (hh * 60 + mm));
  return true;
}

// "THH:MM[:SS[.f]]" after the date; absent = midnight.
bool ReadTime(std::string_view text, std::size_t* pos, microseconds* out) {
  if (*pos == text.size()) return true;
  if (!Consume(text, pos, 'T') && !Consume(text, pos, 't') && !Consume(text, pos, ' ')) return true;
  int hh = 0, mm = 0, ss = 0;
  if (!ReadDigits(text, pos, 2, &hh) || !Consume(text, pos, ':') || !ReadDigits(text, pos, 2, &mm))
    return false;
  microseconds fraction{0};
  if (Consume(text, pos, ':')) {
    if (!ReadDigits(text, pos, 2, &ss) || !ReadFraction(text, pos, &fraction)) return false;
  }
  if (hh > 23 || mm > 59 || ss > 59) return false;
  *out = hours(hh) + minutes(mm) + seconds(ss) + fraction;
  return true;
}

Micros SubtractCalendar(Micros now, std::chrono::months delta) {
  const auto day = std::chrono::floor<days>(now);
  const auto time_of_day = now - day;
  std::chrono::year_month_day ymd = std::chrono::year_month_day(day) - delta;
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / std::chrono::last;
  return std::chrono::sys_days(ymd) + time_of_day;
}

}  // namespace

std::optional<Micros> ParseIsoDateTime(std::string_view text) {
  text = Trim(text);
  std::size_t pos = 0;
  int y = 0, m = 0, d = 0;
  if (!ReadDigits(text, &pos, 4, &y) || !Consume(text, &pos, '-') || !ReadDigits(text, &pos, 2, &m) ||
      !Consume(text, &pos, '-') || !ReadDigits(text, &pos, 2, &d)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  microseconds time_of_day{0};
  minutes offset{0};
  if (!ReadTime(text, &pos, &time_of_day) || !ReadOffset(text, &pos, &offset) || pos != text.size()) {
    return std::nullopt;
  }
  return Micros(std::chrono::sys_days(ymd)) + time_of_day - offset;
}

std::optional<DateTarget> DateTarget::Parse(std::string_view text) {
  text = Trim(text);
  DateTarget target;
  if (const auto absolute = ParseIsoDateTime(text)) {
    target.absolute_ = *absolute;
    return target;
  }
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.size() < 2) return std::nullopt;
  const auto count = ParseNumber(text.substr(0, text.size() - 1));
  const std::string_view digits = text.substr(0, text.size() - 1);
  if (!count || digits.find_first_not_of("0123456789") != std::string_view::npos ||
      *count > kMaxRelativeCount) {
    return std::nullopt;
  }
  switch (text.back()) {
    case 'h': target.unit_ = Unit::kHour; break;
    case 'd': target.unit_ = Unit::kDay; break;
    case 'w': target.unit_ = Unit::kWeek; break;
    case 'm': target.unit_ = Unit::kMonth; break;
    case 'y': target.unit_ = Unit::kYear; break;
    default: return std::nullopt;
  }
  target.relative_ = true;
  target.count_ = static_cast<int>(*count);
  return target;
}

Micros DateTarget::Resolve(std::chrono::system_clock::time_point now) const {
  if (!relative_) return absolute_;
  const Micros base = std::chrono::floor<microseconds>(now);
  switch (unit_) {
    case Unit::kHour: return base - hours(count_);
    case Unit::kDay: return base - days(count_);
    case Unit::kWeek: return base - std::chrono::weeks(count_);
    case Unit::kMonth: return SubtractCalendar(base, std::chrono::months(count_));
    case Unit::kYear: return SubtractCalendar(base, std::chrono::months(12 * count_));
  }
  return base;
}

std::optional<Micros> PropertyDate(const nlohmann::json& value) {
  if (value.is_string()) return ParseIsoDateTime(value.get_ref<const std::string&>());
  if (!value.is_number()) return std::nullopt;
  double secs = value.get<double>();
  if (std::abs(secs) > kMillisecondsThreshold) secs /= 1000.0;
  if (!std::isfinite(secs) || std::abs(secs) > kMaxUnixSeconds) return std::nullopt;
  return Micros(microseconds(static_cast<std::int64_t>(std::llround(secs * 1e6))));
}

}  // namespace switchyard::core
