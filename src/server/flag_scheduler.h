// FlagScheduler: applies scheduled changes that are due, through FlagService, so a fired change
// gets the same validation, versioning, audit entry and snapshot publication as an API write.
//
// Each due change is first claimed in the store (pending -> firing, a conditional update), so of
// several servers sharing a store exactly one fires it. It then ends done or failed (the flag is
// gone, the change no longer validates, the store refused it), with the reason, and is never
// retried: a failed change needs a person to look at it. The audit entry's actor says the change
// came from a schedule and who scheduled it ("schedule:12 (by admin:sy_admin_Ab3)"), with the
// environment it named.
//
// A change claimed by a server that then dies stays "firing"; it is not re-fired automatically,
// since it may have been applied.
//
// Thread-safety: FireDue from one thread at a time (the server's maintenance thread).
#pragma once

#include <string>

#include "server/flag_service.h"
#include "store/store.h"

namespace switchyard::server {

class FlagScheduler {
 public:
  FlagScheduler(store::Store& store, FlagService& flags) : store_(store), flags_(flags) {}

  // Fires every change due at `now` (a store timestamp), and every one claimed before
  // `abandoned_before` but never finished (the server firing it died; empty: none); returns how
  // many this call fired or failed. Store errors are logged and retried on the next call.
  int FireDue(const std::string& now, const std::string& abandoned_before = "");

 private:
  // Applies one claimed change; the result to record.
  Status Fire(const store::FlagSchedule& schedule, std::string* result);

  store::Store& store_;
  FlagService& flags_;
};

}  // namespace switchyard::server
