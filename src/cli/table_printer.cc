#include "cli/table_printer.h"

#include <algorithm>
#include <cctype>

namespace switchyard::cli {
namespace {

constexpr char kColumnGap[] = "  ";

std::string SingleLine(std::string cell) {
  for (char& c : cell) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return cell;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

void AppendRow(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths,
               std::string* out) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    *out += cells[i];
    if (i + 1 == cells.size()) break;
    out->append(widths[i] - DisplayWidth(cells[i]), ' ');
    *out += kColumnGap;
  }
  // Trailing empty cells would leave trailing spaces; trim them.
  while (!out->empty() && out->back() == ' ') out->pop_back();
  *out += '\n';
}

}  // namespace

std::size_t DisplayWidth(const std::string& text) {
  // Count bytes that are not UTF-8 continuation bytes (10xxxxxx).
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Table::Table(std::vector<std::string> header) {
  for (auto& name : header) header_.push_back(Upper(SingleLine(std::move(name))));
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  for (auto& cell : cells) cell = SingleLine(std::move(cell));
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<std::size_t> widths(header_.size());
  for (std::size_t i = 0; i < header_.size(); ++i) widths[i] = DisplayWidth(header_[i]);
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  AppendRow(header_, widths, &out);
  for (const auto& row : rows_) AppendRow(row, widths, &out);
  return out;
}

}  // namespace switchyard::cli
