// Which routes can match a request's path. The router compared every path with every route's
// pattern, twice per request (the body rules at the header, then dispatch): with ~150 routes that
// was 7.5 k instructions of a gateway call, and a larger share of a cheap one like evaluate.
// Routes are grouped by their number of segments and first segment, so a path is matched against
// the few routes of its group.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::server {

class RouteIndex {
 public:
  // Adds the route the router registered as `index` (indexes are added in increasing order).
  // `first` is its pattern's first segment, ignored when `first_is_param`.
  void Add(std::size_t index, std::size_t segment_count, std::string_view first, bool first_is_param);

  // The routes that can match a path of `segment_count` segments starting with `first`, in the
  // order they were added. A superset: each still has to be matched.
  std::span<const std::size_t> Candidates(std::size_t segment_count, std::string_view first) const;

 private:
  struct Shape {
    // Per literal first segment: its routes and, interleaved in order, those starting with a
    // parameter, which match any first segment.
    std::map<std::string, std::vector<std::size_t>, std::less<>> by_first;
    std::vector<std::size_t> param_first;
  };
  std::vector<Shape> shapes_;  // by segment count
};

}  // namespace switchyard::server
