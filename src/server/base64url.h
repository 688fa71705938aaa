// Base64url (RFC 4648 §5, no padding): opaque tokens that travel in URLs and headers unescaped
// (list cursors, entity tags). The encoding itself is OpenSSL's; this only swaps the alphabet.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::server {

std::string Base64UrlEncode(std::string_view bytes);
// nullopt when `text` is not unpadded base64url (a character outside the alphabet, a length
// that no encoding has, or non-zero bits left over).
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace switchyard::server
