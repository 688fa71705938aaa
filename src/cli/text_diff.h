// LineDiff: a unified-style diff of two texts, line by line, for showing what a change does
// (`flags promote` diffs the pretty JSON of an environment's targeting before and after).
//
// Every line is shown, prefixed "-" (only in before), "+" (only in after) or " " (both): the
// texts diffed here are a few dozen lines, so hunks with context would hide more than they save.
// Lines are matched by a longest common subsequence, so moved or edited lines read as -/+ pairs.
#pragma once

#include <string>

namespace switchyard::cli {

// The diff, each line ending in '\n'; empty when the texts are equal.
std::string LineDiff(const std::string& before, const std::string& after);

}  // namespace switchyard::cli
