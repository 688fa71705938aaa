#include "core/unique_keys.h"

#include <algorithm>

namespace switchyard::core {

namespace dom = simdjson::dom;

bool KeysAreUnique(dom::element value, std::vector<std::string_view>& scratch) {
  dom::array items;
  if (value.get_array().get(items) == simdjson::SUCCESS) {
    for (dom::element item : items) {
      if (!KeysAreUnique(item, scratch)) return false;
    }
    return true;
  }
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return true;
  const std::size_t first = scratch.size();
  for (dom::key_value_pair member : object) {
    if (!KeysAreUnique(member.value, scratch)) return false;
    scratch.push_back(member.key);
  }
  const auto begin = scratch.begin() + static_cast<std::ptrdiff_t>(first);
  std::sort(begin, scratch.end());
  const bool unique = std::adjacent_find(begin, scratch.end()) == scratch.end();
  scratch.resize(first);
  return unique;
}

}  // namespace switchyard::core
