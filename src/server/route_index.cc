#include "server/route_index.h"

namespace switchyard::server {

void RouteIndex::Add(std::size_t index, std::size_t segment_count, std::string_view first,
                     bool first_is_param) {
  if (shapes_.size() <= segment_count) shapes_.resize(segment_count + 1);
  Shape& shape = shapes_[segment_count];
  if (first_is_param) {
    shape.param_first.push_back(index);
    for (auto& [literal, routes] : shape.by_first) routes.push_back(index);
    return;
  }
  auto it = shape.by_first.find(first);
  if (it == shape.by_first.end()) {
    // A new group starts with the parameter routes added before it: they come first in order.
    it = shape.by_first.emplace(std::string(first), shape.param_first).first;
  }
  it->second.push_back(index);
}

std::span<const std::size_t> RouteIndex::Candidates(std::size_t segment_count, std::string_view first) const {
  if (segment_count >= shapes_.size()) return {};
  const Shape& shape = shapes_[segment_count];
  auto it = shape.by_first.find(first);
  if (it != shape.by_first.end()) return it->second;
  return shape.param_first;
}

}  // namespace switchyard::server
