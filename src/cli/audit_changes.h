// DescribeAuditChanges: what one audit entry changed, in words, for `switchyard audit`.
//
// Computed on the client from the entry's before/after JSON (the server stores whole entities),
// so it works for every entity type and for fields this client does not know: a field it has no
// words for is reported as "<field> changed". Flag fields get specific words:
//   created / deleted / enabled / disabled / revoked
//   name "a" → "b"            tags web → web, ui          description changed
//   rollout 25 → 50 %         (group N rollout … when the flag has several groups; null = 100)
//   groups changed            (conditions, not only percentages)
//   variant split control 50 → 70 %, test 50 → 30 %      variants a, b → a, b, c
//   payload set / changed / removed (boolean)            payload test set / changed / removed
// An entry's "environment" is said after each change ("enabled in staging"), and so is the
// environment of a change inside an "environments" object of per-environment configurations.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchyard::cli {

// The changes `entry` ({"before","after","environment"?,...}) made, most significant first; empty
// when before and after differ only in bookkeeping (version, timestamps).
std::vector<std::string> DescribeAuditChanges(const nlohmann::json& entry);

}  // namespace switchyard::cli
