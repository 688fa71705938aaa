#include "core/unique_keys.h"

#include <algorithm>

namespace switchyard::core {

namespace dom = simdjson::dom;

namespace {

// Up to this many keys an object is checked pair by pair: most pairs differ in length, and that
// beats sorting (std::sort's comparisons each call memcmp) for the few keys events carry.
constexpr std::size_t kPairwiseKeys = 16;

bool NoneRepeated(std::vector<std::string_view>::iterator begin,
                  std::vector<std::string_view>::iterator end) {
  if (static_cast<std::size_t>(end - begin) <= kPairwiseKeys) {
    for (auto a = begin; a != end; ++a) {
      for (auto b = a + 1; b != end; ++b) {
        if (*a == *b) return false;
      }
    }
    return true;
  }
  std::sort(begin, end);
  return std::adjacent_find(begin, end) == end;
}

}  // namespace

bool KeysAreUnique(dom::element value, std::vector<std::string_view>& scratch) {
  switch (value.type()) {
    case dom::element_type::ARRAY:
      for (dom::element item : dom::array(value)) {
        if (!KeysAreUnique(item, scratch)) return false;
      }
      return true;
    case dom::element_type::OBJECT: {
      const std::size_t first = scratch.size();
      for (dom::key_value_pair member : dom::object(value)) {
        if (!KeysAreUnique(member.value, scratch)) return false;
        scratch.push_back(member.key);
      }
      const bool unique = NoneRepeated(scratch.begin() + static_cast<std::ptrdiff_t>(first), scratch.end());
      scratch.resize(first);
      return unique;
    }
    default: return true;
  }
}

}  // namespace switchyard::core
