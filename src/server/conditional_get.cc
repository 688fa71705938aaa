#include "server/conditional_get.h"

#include <openssl/evp.h>

#include <array>
#include <optional>
#include <stdexcept>

#include "server/base64url.h"
#include "server/http_text.h"

namespace switchyard::server {
namespace {

constexpr std::size_t kDigestBytes = 16;

// The opaque tag of an entity-tag (`"abc"` or `W/"abc"`), quotes included; nullopt if malformed.
std::optional<std::string_view> OpaqueTag(std::string_view etag) {
  if (etag.substr(0, 2) == "W/") etag.remove_prefix(2);
  if (etag.size() < 2 || etag.front() != '"' || etag.back() != '"') return std::nullopt;
  if (etag.substr(1, etag.size() - 2).find('"') != std::string_view::npos) return std::nullopt;
  return etag;
}

const std::string* HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [k, v] : response.headers) {
    if (AsciiLower(k) == name) return &v;
  }
  return nullptr;
}

}  // namespace

bool WeakETagMatch(std::string_view a, std::string_view b) {
  auto left = OpaqueTag(a);
  auto right = OpaqueTag(b);
  return left && right && *left == *right;
}

bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag) {
  if (TrimOws(if_none_match) == "*") return true;
  std::string_view rest = if_none_match;
  while (!rest.empty()) {
    rest = TrimOws(rest);
    // A comma inside a member's quotes belongs to its tag: split after the closing quote.
    std::size_t quote = rest.substr(0, 2) == "W/" ? 2 : 0;
    std::size_t from = 0;
    if (rest.size() > quote && rest[quote] == '"') {
      std::size_t close = rest.find('"', quote + 1);
      from = close == std::string_view::npos ? rest.size() : close;
    }
    std::size_t comma = rest.find(',', from);
    std::string_view member = TrimOws(rest.substr(0, comma));
    if (!member.empty() && WeakETagMatch(member, etag)) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

std::string DigestETag(std::string_view body) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(body.data(), body.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return "\"" +
         Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), kDigestBytes)) + "\"";
}

void ApplyConditionalGet(const Request& request, Response& response) {
  if (request.method != "GET" || response.status != 200 || response.stream) return;
  const std::string* given = HeaderOf(response, "etag");
  std::string etag = given != nullptr ? *given : DigestETag(response.body);
  if (given == nullptr) response.headers.emplace_back("ETag", etag);
  for (const auto& [name, value] : request.headers) {
    if (name != "if-none-match" || !IfNoneMatchMatches(value, etag)) continue;
    Response not_modified;
    not_modified.status = 304;
    not_modified.content_type.clear();
    not_modified.headers.emplace_back("ETag", etag);
    response = std::move(not_modified);
    return;
  }
}

}  // namespace switchyard::server
