// What committed events change about persons and groups, as PostHog applies it: `$identify`
// ($set, $set_once, $anon_distinct_id: the anonymous id becomes the identified person),
// `$create_alias` (alias + distinct_id become one person), `$set` / `$set_once` / `$unset` on any
// event, and `$groupidentify` ($group_type, $group_key, $group_set). The event pipeline's writer
// calls this for every batch it commits, so every ingestion path feeds persons the same way.
//
// Events are already accepted when this runs, so malformed parts (a $set that is not an object)
// are left out rather than refused. Pure; thread-safe.
#pragma once

#include <vector>

#include "events/event.h"
#include "store/store.h"

namespace switchyard::server {

struct PersonChanges {
  std::vector<store::PersonUpdate> persons;  // in event order
  std::vector<store::GroupUpdate> groups;

  bool empty() const { return persons.empty() && groups.empty(); }
};

// Appends what `event` changes to `changes` (nothing for most events).
void AddPersonChanges(const events::Event& event, PersonChanges* changes);

}  // namespace switchyard::server
