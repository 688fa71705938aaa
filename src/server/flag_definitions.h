// The local-evaluation definitions (GET /flags/definitions, /api/feature_flag/local_evaluation):
// one environment's flags in PostHog's shape, as posthog-node 5.70.0 reads them:
//   {"flags":[{"id","key","name","active","deleted","version","ensure_experience_continuity",
//              "bucketing_identifier"?,"filters":{"groups","multivariate","payloads",
//              "aggregation_group_type_index"}}],
//    "group_type_mapping":{"0":"company"},"cohorts":{"<id>":{"type":"OR","values":[...]}}}
//
// Flags an SDK cannot evaluate faithfully are shipped with ensure_experience_continuity: true, which
// makes the SDK ask the server instead: flags of a running or paused experiment (holdouts and
// layers are applied by the server's experiment gate), and flags bucketing on a property other
// than $device_id. Cohorts are shipped only when asked (send_cohorts); a flag filter names its
// cohort by our cohort id, the key of "cohorts". Payloads are JSON text, as PostHog stores them.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"
#include "switchyard/flag_set.h"

namespace switchyard::server {

// `server_only` names the flags evaluated only by the server (experiment flags).
nlohmann::json DefinitionsJson(const FlagSet& snapshot, const std::vector<store::GroupType>& group_types,
                               const std::set<std::string>& server_only, bool send_cohorts);

}  // namespace switchyard::server
