// Text from data (metric names, variant keys, reasons) placed in HTML or SVG: every character
// with a meaning in markup or in a quoted attribute is replaced by its entity.
#pragma once

#include <string>
#include <string_view>

namespace switchyard::cli {

inline std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace switchyard::cli
