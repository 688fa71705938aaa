// The main of every test bundle (tests/CMakeLists.txt: one executable holds the test files of a
// directory that share labels, so a fresh build compiles and links far fewer, larger units).
// ctest still runs each file as its own test: `--sy_test_file=NAME.cc` (repeatable) narrows the
// run to the tests declared in those files, read from gtest's own record of each test's file,
// so nothing has to list suite names twice.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace {

constexpr std::string_view kFileFlag = "--sy_test_file=";

bool DeclaredIn(std::string_view path, const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    if (path.size() >= file.size() + 1 && path.ends_with(file) && path[path.size() - file.size() - 1] == '/')
      return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with(kFileFlag)) {
      files.emplace_back(arg.substr(kFileFlag.size()));
    } else {
      std::fprintf(stderr, "unknown argument %s (gtest's flags and --sy_test_file=NAME.cc are accepted)\n",
                   argv[i]);
      return 2;
    }
  }
  if (!files.empty()) {
    if (::testing::GTEST_FLAG(filter) != "*") {
      std::fprintf(
          stderr,
          "--gtest_filter and --sy_test_file cannot be combined: run the bundle with --gtest_filter alone\n");
      return 2;
    }
    std::string filter;
    const ::testing::UnitTest& all = *::testing::UnitTest::GetInstance();
    for (int s = 0; s < all.total_test_suite_count(); ++s) {
      const ::testing::TestSuite& suite = *all.GetTestSuite(s);
      for (int t = 0; t < suite.total_test_count(); ++t) {
        const ::testing::TestInfo& test = *suite.GetTestInfo(t);
        if (DeclaredIn(test.file(), files)) filter += std::string(suite.name()) + "." + test.name() + ":";
      }
    }
    if (filter.empty()) {
      // A file with no tests is a mistake in the CMakeLists, never a pass.
      std::fprintf(stderr, "no tests are declared in the files named by --sy_test_file\n");
      return 2;
    }
    ::testing::GTEST_FLAG(filter) = filter;
  }
  return RUN_ALL_TESTS();
}
