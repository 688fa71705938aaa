// `switchyard import posthog`: a PostHog flags export (the JSON of PostHog's feature-flags list
// API, `{"results": [flag, ...]}`, or a bare array of flags) translated into our flag bodies for
// the bulk apply endpoint. Pure: the command (import_commands.cc) fetches what the server has and
// sends the result.
//
// Users keep their buckets: the key, the condition groups (properties, rollout %, variant
// override), the variants in their order with their percentages, and the bucketing identifier are
// carried over unchanged, and our hashing is PostHog's. What needs translating:
//   - PostHog's `name` (its UI calls it the description) becomes our `description`;
//   - a prerequisite (`type: flag`, operator `flag_evaluates_to`) names the flag by PostHog id: it
//     becomes that flag's key (the flag must be in the same export);
//   - a cohort filter names a PostHog cohort id: it becomes our cohort id, from --cohort POSTHOG=OURS
//     or else the cohort of ours whose id is the same number;
//   - deleted flags are skipped (and listed).
// What we cannot carry over is never dropped silently: references we cannot resolve (`missing`)
// and features we do not support (`unsupported`) are listed and the import is refused. Features
// that only change how a flag is managed, not whom it serves, may be dropped on request
// (--allow-unsupported), each listed (`dropped`).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::cli {

struct PostHogImportOptions {
  std::map<std::string, std::string> cohort_map;  // PostHog cohort id -> our cohort id
  std::set<std::string> our_cohorts;              // the ids of the project's cohorts
  bool allow_unsupported = false;                 // drop the droppable unsupported features
};

struct PostHogImport {
  nlohmann::json flags = nlohmann::json::array();  // our flag bodies, for POST .../flags/apply
  std::vector<std::string> skipped;                // "flag 'old': deleted in PostHog"
  std::vector<std::string> missing;                // "cohort 42 (used by 'a', 'b')"
  std::vector<std::string> unsupported;            // "flag 'x': filters.super_groups (...)"
  std::vector<std::string> dropped;                // what --allow-unsupported left out

  // Nothing blocks the import.
  bool ok() const { return missing.empty() && unsupported.empty(); }
};

// InvalidArgument naming the field (`results[3].key`) when `exported` is not a flags export.
Result<PostHogImport> TranslatePostHogFlags(const nlohmann::json& exported,
                                            const PostHogImportOptions& options);

}  // namespace switchyard::cli
