// The command-line "did you mean": which command or option a refused argument is matched to.
#include "cli/usage_suggestions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchyard::cli {
namespace {

// A small command tree shaped like switchyard's: app -> flags -> {list, create}.
class UsageSuggestionsTest : public ::testing::Test {
 protected:
  UsageSuggestionsTest() {
    app_.require_subcommand(1);
    CLI::App* flags = app_.add_subcommand("flags", "");
    flags->require_subcommand(1);
    CLI::App* list = flags->add_subcommand("list", "");
    list->add_flag("--json", json_, "");
    list->add_option("--tag", tag_, "");
    flags->add_subcommand("create", "")->add_option("KEY", key_, "");
    app_.add_subcommand("evaluate", "");
  }

  std::string MessageFor(std::vector<std::string> args) {
    const std::vector<std::string> arguments = args;
    std::vector<char*> argv = {program_.data()};
    for (std::string& arg : args) argv.push_back(arg.data());
    try {
      app_.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      return UsageErrorMessage(app_, e, arguments);
    }
    return "parsed";
  }

  CLI::App app_{"test", "switchyard"};
  std::string program_ = "switchyard";
  bool json_ = false;
  std::string tag_, key_;
};

TEST_F(UsageSuggestionsTest, MistypedCommand) {
  EXPECT_EQ(MessageFor({"flgs", "list"}), "unknown command 'flgs'; did you mean 'flags'?");
}

TEST_F(UsageSuggestionsTest, MistypedSubcommand) {
  EXPECT_EQ(MessageFor({"flags", "lsit"}), "unknown command 'lsit'; did you mean 'list'?");
}

TEST_F(UsageSuggestionsTest, MistypedOptionOfTheCommandReached) {
  EXPECT_EQ(MessageFor({"flags", "list", "--jsn"}), "unknown option --jsn; did you mean '--json'?");
  EXPECT_EQ(MessageFor({"flags", "list", "--tga=web"}), "unknown option --tga; did you mean '--tag'?");
  // An option's value is not read as a command.
  EXPECT_EQ(MessageFor({"flags", "list", "--tag", "lst", "--jsn"}),
            "unknown option --jsn; did you mean '--json'?");
}

TEST_F(UsageSuggestionsTest, CLI11sMessageWhenNothingIsClose) {
  EXPECT_EQ(MessageFor({"frobnicate"}), "A subcommand is required");
  EXPECT_EQ(MessageFor({"flags", "list", "--verbose"}), "The following argument was not expected: --verbose");
  // A stray word after a command without subcommands is an argument, not a mistyped command.
  EXPECT_EQ(MessageFor({"flags", "create", "k", "list"}), "The following argument was not expected: list");
}

TEST_F(UsageSuggestionsTest, ValidCommandLinesParse) {
  EXPECT_EQ(MessageFor({"flags", "list", "--json"}), "parsed");
}

}  // namespace
}  // namespace switchyard::cli
