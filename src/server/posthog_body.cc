#include "server/posthog_body.h"

#include <openssl/evp.h>

#include <vector>

#include "server/http_text.h"

namespace switchyard::server {
namespace {

DecodedBody Fail(BodyDecodeError error, std::string message) {
  DecodedBody out;
  out.error = error;
  out.message = std::move(message);
  return out;
}

DecodedBody Bounded(std::string text, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Fail(BodyDecodeError::kTooLarge, "the decoded body is larger than this endpoint's limit of " +
                                                std::to_string(max_bytes) + " bytes");
  }
  DecodedBody out;
  out.body = std::move(text);
  return out;
}

// JSON text starts with an object or an array; anything else in a `data=` field is base64.
bool LooksLikeJson(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

DecodedBody FromBase64(std::string_view text, std::size_t max_bytes) {
  auto decoded = Base64Decode(text);
  if (!decoded) return Fail(BodyDecodeError::kMalformed, "the body is not valid base64");
  return Bounded(std::move(*decoded), max_bytes);
}

// The `data` field of an application/x-www-form-urlencoded body.
std::optional<std::string> FormData(std::string_view form) {
  while (!form.empty()) {
    std::size_t end = form.find('&');
    std::string_view pair = form.substr(0, end);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == "data") {
      return PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    }
    if (end == std::string_view::npos) break;
    form.remove_prefix(end + 1);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string clean;
  clean.reserve(text.size() + 3);
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\t') continue;
    // A '+' that reached us unescaped in a form was turned into a space by url-decoding.
    if (c == ' ') c = '+';
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!plain && c != '+' && c != '/' && c != '=') return std::nullopt;
    clean.push_back(c);
  }
  while (!clean.empty() && clean.back() == '=') clean.pop_back();
  if (clean.size() % 4 == 1 || clean.find('=') != std::string::npos) return std::nullopt;
  const std::size_t padding = (4 - clean.size() % 4) % 4;
  clean.append(padding, '=');
  std::vector<unsigned char> out(clean.size() / 4 * 3 + 1);
  int written = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size()));
  if (written < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(written) - padding);
}

DecodedBody DecodePostHogBody(const Request& request, std::size_t max_bytes) {
  const std::string_view body = request.body;
  const std::string* compression_param = request.QueryParam("compression");
  const std::string compression =
      compression_param != nullptr ? AsciiLower(*compression_param) : std::string();
  const std::string encoding = AsciiLower(TrimOws(request.Header("content-encoding")));
  std::string_view content_type = request.Header("content-type");
  content_type = TrimOws(content_type.substr(0, content_type.find(';')));

  if (!encoding.empty() && encoding != "identity" && encoding != "gzip") {
    return Fail(BodyDecodeError::kMalformed,
                "Content-Encoding '" + encoding + "' is not supported (use gzip)");
  }
  const bool gzip_magic = body.size() >= 2 && static_cast<unsigned char>(body[0]) == 0x1f &&
                          static_cast<unsigned char>(body[1]) == 0x8b;
  if (encoding == "gzip" || compression == "gzip-js" || compression == "gzip" || gzip_magic) {
    return GunzipBounded(body, max_bytes);
  }
  if (AsciiLower(content_type) == "application/x-www-form-urlencoded" || body.starts_with("data=")) {
    auto data = FormData(body);
    if (!data)
      return Fail(BodyDecodeError::kMalformed, "a form-encoded body must carry the event data as data=");
    if (compression == "base64" || !LooksLikeJson(*data)) return FromBase64(*data, max_bytes);
    return Bounded(std::move(*data), max_bytes);
  }
  if (compression == "base64" && !LooksLikeJson(body)) return FromBase64(body, max_bytes);
  if (!compression.empty() && compression != "base64") {
    return Fail(BodyDecodeError::kMalformed,
                "compression '" + compression + "' is not supported (gzip-js, gzip or base64)");
  }
  return Bounded(std::string(body), max_bytes);
}

}  // namespace switchyard::server
