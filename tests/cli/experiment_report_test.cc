// The HTML report is well-formed (every element closes, in order), self-contained (no scripts,
// no resources fetched), draws its charts, and escapes every string from the data.
#include "cli/experiment_report.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <vector>

#include "cli/html_escape.h"
#include "cli/results_fixture.h"

namespace switchyard::cli {
namespace {

struct Parsed {
  bool ok = true;
  std::string error;
  std::map<std::string, int> opened;  // element name -> count
};

// A strict little XML-ish parser for what the report writes: elements must nest and close (void
// HTML elements excepted), attribute values are double-quoted, and text holds no raw '<'.
Parsed Parse(const std::string& html) {
  static const std::set<std::string> kVoid = {"meta", "br", "hr", "img", "link", "input"};
  Parsed p;
  std::vector<std::string> stack;
  std::size_t i = 0;
  auto fail = [&](const std::string& why) {
    p.ok = false;
    p.error = why + " at " + std::to_string(i) + ": " + html.substr(i, 60);
    return p;
  };
  while (i < html.size()) {
    if (html[i] != '<') {
      ++i;
      continue;
    }
    if (html.compare(i, 9, "<!DOCTYPE") == 0) {
      i = html.find('>', i) + 1;
      continue;
    }
    const bool closing = html.compare(i, 2, "</") == 0;
    std::size_t j = i + (closing ? 2 : 1);
    std::size_t name_end = j;
    while (name_end < html.size() && (std::isalnum(static_cast<unsigned char>(html[name_end])) != 0))
      ++name_end;
    const std::string name = html.substr(j, name_end - j);
    if (name.empty()) return fail("a '<' that starts no tag");
    // Skip attributes: quoted values may hold '>' only if unescaped, which the report never does.
    std::size_t k = name_end;
    bool in_quote = false;
    while (k < html.size() && (in_quote || html[k] != '>')) {
      if (html[k] == '"') in_quote = !in_quote;
      if (in_quote && html[k] == '<') return fail("'<' inside an attribute value");
      ++k;
    }
    if (k >= html.size()) return fail("unterminated tag");
    const bool self_closing = html[k - 1] == '/';
    if (closing) {
      if (stack.empty() || stack.back() != name)
        return fail("</" + name + "> does not close the open element");
      stack.pop_back();
    } else if (!self_closing && kVoid.count(name) == 0) {
      stack.push_back(name);
      ++p.opened[name];
      if (name == "style") {  // raw text up to its end tag
        k = html.find("</style>", k) - 1;
      }
    } else {
      ++p.opened[name];
    }
    i = k + 1;
  }
  if (!stack.empty()) {
    i = html.size();
    return fail("unclosed <" + stack.back() + ">");
  }
  return p;
}

TEST(ExperimentReportTest, IsWellFormedAndSelfContained) {
  const std::string html = RenderResultsReport(testing::SampleResults());
  Parsed parsed = Parse(html);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(parsed.opened["html"], 1);
  EXPECT_EQ(parsed.opened["script"], 0);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  for (const char* fetches : {" src=", " href=", "url(", "@import"}) {
    EXPECT_EQ(html.find(fetches), std::string::npos) << fetches;
  }
  // The only URL is SVG's namespace name, which nothing fetches.
  std::string without_ns = std::regex_replace(html, std::regex("xmlns=\"http://www.w3.org/2000/svg\""), "");
  EXPECT_EQ(without_ns.find("http"), std::string::npos);
}

TEST(ExperimentReportTest, DrawsEachMetricOverTimeAndAComparisonChart) {
  const std::string html = RenderResultsReport(testing::SampleResults());
  Parsed parsed = Parse(html);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  // Four defined metrics, each with value-over-time, lift-over-time and comparison charts.
  EXPECT_EQ(parsed.opened["svg"], 4 * 3);
  EXPECT_EQ(parsed.opened["section"], 1 + 4);  // the verdict, then one per metric
  // Each variant's interval band and line (48 hourly points: one run each).
  EXPECT_GE(parsed.opened["polygon"], 4 * (3 + 2));
  EXPECT_GE(parsed.opened["polyline"], 4 * (3 + 2));
  // Coordinates are plain numbers (nothing from the data reaches them).
  std::regex points("points=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), points); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(std::regex_match((*it)[1].str(), std::regex("[-0-9., ]+"))) << (*it)[1].str();
  }
  EXPECT_NE(html.find("class=\"zero\""), std::string::npos);
  EXPECT_NE(html.find("Verdict: SHIP treatment"), std::string::npos);
  EXPECT_NE(html.find("latency (p95)"), std::string::npos);
}

TEST(ExperimentReportTest, EscapesEveryStringFromTheData) {
  nlohmann::json results = testing::SampleResults();
  results["experiment"] = "<img src=x onerror=alert(1)>";
  results["verdict"]["reasons"].push_back("a & b < c");
  const std::string html = RenderResultsReport(results);
  ASSERT_TRUE(Parse(html).ok) << Parse(html).error;
  const std::string evil = "<script>alert('x')</script> & \"co\"";
  EXPECT_EQ(html.find(evil), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"),
            std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("Experiment &lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("<li>a &amp; b &lt; c</li>"), std::string::npos);
}

TEST(ExperimentReportTest, AnEmptyAnswerStillMakesAPage) {
  const std::string html = RenderResultsReport(nlohmann::json::object());
  Parsed parsed = Parse(html);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(parsed.opened["svg"], 0);
}

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("plain"), "plain");
}

}  // namespace
}  // namespace switchyard::cli
