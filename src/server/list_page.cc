#include "server/list_page.h"

#include <charconv>
#include <cstdio>

#include "server/api_error.h"
#include "server/base64url.h"
#include "server/handler_support.h"

namespace switchyard::server {
namespace {

constexpr char kSeparator = '\n';

// Query parameters that say where a page starts; a next-page link carries only the cursor.
bool IsPositionParameter(std::string_view name) {
  return name == "cursor" || name == "offset" || name == "before";
}

}  // namespace

std::string EncodeCursor(std::string_view list, std::string_view position) {
  std::string plain(list);
  plain += kSeparator;
  plain += position;
  return Base64UrlEncode(plain);
}

Result<std::string> DecodeCursor(std::string_view list, std::string_view cursor) {
  std::optional<std::string> plain = Base64UrlDecode(cursor);
  const std::size_t prefix = list.size() + 1;
  if (!plain || plain->size() < prefix || std::string_view(*plain).substr(0, list.size()) != list ||
      (*plain)[list.size()] != kSeparator) {
    return Status::InvalidArgument("cursor is not one this list returned; pass a next_cursor from the " +
                                       std::string(list) +
                                       " list unchanged, or omit cursor for the first page",
                                   "cursor");
  }
  return plain->substr(prefix);
}

std::string IdPosition(std::int64_t id) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%020lld", static_cast<long long>(id));
  return digits;
}

std::optional<std::int64_t> PositionId(std::string_view position) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(position.data(), position.data() + position.size(), id);
  if (ec != std::errc() || end != position.data() + position.size() || position.size() != 20 || id < 0) {
    return std::nullopt;
  }
  return id;
}

Result<PageRequest> ReadPageRequest(const Request& request, std::string_view list) {
  PageRequest page;
  auto limit = IntQueryParam(request, "limit", kDefaultPageLimit, 1, kMaxPageLimit);
  if (!limit.ok()) return limit.status();
  page.limit = static_cast<std::size_t>(*limit);
  if (const std::string* cursor = request.QueryParam("cursor")) {
    auto after = DecodeCursor(list, *cursor);
    if (!after.ok()) return after.status();
    page.after = std::move(*after);
  }
  return page;
}

Response PagedJsonResponse(const Request& request, std::string_view list, nlohmann::json body,
                           const std::optional<std::string>& next_position) {
  std::optional<std::string> cursor;
  if (next_position) cursor = EncodeCursor(list, *next_position);
  body["next_cursor"] = cursor ? nlohmann::json(*cursor) : nlohmann::json();
  Response response = JsonResponse(200, body);
  if (!cursor) return response;
  // Re-encoded from the decoded pairs: whatever the client sent, the link is a valid URI.
  std::string link = request.path + "?";
  for (const auto& [name, value] : request.query) {
    if (IsPositionParameter(name)) continue;
    link += PercentEncode(name) + "=" + PercentEncode(value) + "&";
  }
  link += "cursor=" + *cursor;
  response.headers.emplace_back("Link", "<" + link + ">; rel=\"next\"");
  return response;
}

}  // namespace switchyard::server
