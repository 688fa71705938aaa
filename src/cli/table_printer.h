// Table: the CLI's default human output -- aligned columns under an upper-case header row.
//
// Columns are padded to their widest cell (counted in UTF-8 code points, so names with accents
// still line up) and separated by two spaces; the last column is not padded, so no line ends in
// whitespace. Cells are single-line: embedded newlines and tabs become spaces.
#pragma once

#include <string>
#include <vector>

namespace switchyard::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header);

  // A row shorter than the header is padded with empty cells; extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  std::size_t row_count() const { return rows_.size(); }

  // The header and every row, each terminated by '\n'.
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Display width of `text` in code points (a good approximation for terminal columns).
std::size_t DisplayWidth(const std::string& text);

}  // namespace switchyard::cli
