// Paging of management lists: `?limit=N` (1..kMaxPageLimit, default kDefaultPageLimit) and an
// opaque `?cursor=`, which a page returns as "next_cursor" (null on the last page) and as a
// `Link: <...>; rel="next"` header while more items remain.
//
// A cursor is a keyset position (the sort key of the last item returned), not an offset, so a
// client paging through a list never sees an item twice or misses one because others were
// created or deleted between its requests. It is base64url of "<list>\n<position>": opaque to
// clients, and tied to its list so that a flags cursor sent to the cohorts list is refused
// rather than silently misread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/http_message.h"
#include "switchyard/status.h"

namespace switchyard::server {

inline constexpr std::int64_t kDefaultPageLimit = 100;
inline constexpr std::int64_t kMaxPageLimit = 1000;

std::string EncodeCursor(std::string_view list, std::string_view position);
// The position; InvalidArgument (field "cursor") when `cursor` was not made by EncodeCursor
// for `list`.
Result<std::string> DecodeCursor(std::string_view list, std::string_view cursor);

// A position for integer keys (ids) that sorts as the integers do: zero-padded to 20 digits.
std::string IdPosition(std::int64_t id);
// The id an IdPosition spells; nullopt for anything else.
std::optional<std::int64_t> PositionId(std::string_view position);

struct PageRequest {
  std::size_t limit = kDefaultPageLimit;
  std::optional<std::string> after;  // from the cursor: the page starts after this position
};

// `limit` and `cursor` of `request`; InvalidArgument naming the parameter when malformed.
Result<PageRequest> ReadPageRequest(const Request& request, std::string_view list);

// `body` with "next_cursor" (null when `next_position` is nullopt), as a 200 response with a
// Link header to the next page when there is one. The link repeats the request's own query
// (filters, limit) without its position parameters (cursor, offset, before).
Response PagedJsonResponse(const Request& request, std::string_view list, nlohmann::json body,
                           const std::optional<std::string>& next_position);

// The page of `items` (sorted ascending by `position_of`) that starts after `page.after`;
// `*next` is set to the last returned item's position when more items follow.
template <typename T, typename PositionOf>
std::vector<const T*> TakePage(const std::vector<T>& items, const PageRequest& page, PositionOf position_of,
                               std::optional<std::string>* next) {
  std::vector<const T*> out;
  next->reset();
  for (const T& item : items) {
    if (page.after && !(position_of(item) > *page.after)) continue;
    if (out.size() == page.limit) {
      *next = position_of(*out.back());
      break;
    }
    out.push_back(&item);
  }
  return out;
}

}  // namespace switchyard::server
