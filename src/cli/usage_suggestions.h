// "Did you mean" for the command line: CLI11 (2.1) says only that a subcommand is required or an
// argument was not expected, so after it refuses a command line this looks at what it parsed and
// names the closest command or option. It wraps CLI11's error rather than parsing anything itself.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace switchyard::cli {

// The message to print for `error`, raised by app.parse(): CLI11's own, or a clearer one with the
// command or long option that an argument CLI11 did not expect was probably meant to be, e.g.
// "unknown command 'flgs'; did you mean 'flags'?" or
// "The following argument was not expected: --jsn; did you mean '--json'?".
// `arguments` are the command line's (argv[1..]): global options may sit anywhere and fall through
// to the root, so the words are walked from the root rather than taken from what CLI11 kept.
std::string UsageErrorMessage(const CLI::App& app, const CLI::ParseError& error,
                              const std::vector<std::string>& arguments);

}  // namespace switchyard::cli
