// MetricsJsonlExporter: appends one JSON line per call to a file -- the gateway's snapshot with a
// timestamp, {"timestamp": "2026-11-21T10:00:00.000Z", "window_seconds": 60, "series": [...], ...}
// -- so a run's history can be read back (jq, pandas) without a Prometheus server.
//
// Bounded by rotation: when the next line would take the file past max_bytes, the file is renamed
// to "<path>.1" (replacing the previous one) and a new file is started, so at most about twice
// max_bytes is on disk. A line is written whole and flushed; a line larger than max_bytes alone
// still gets a file of its own.
//
// The serve command runs Append on a PeriodicTask thread, never on an I/O thread: the write and
// its flush may block on the disk. Not thread-safe: one caller at a time.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "switchyard/status.h"

namespace switchyard::server {

struct MetricsJsonlOptions {
  std::string path;
  std::uint64_t max_bytes = 64 * 1024 * 1024;
};

class MetricsJsonlExporter {
 public:
  // `snapshot` gives the object each line holds, besides "timestamp".
  MetricsJsonlExporter(MetricsJsonlOptions options, std::function<nlohmann::json()> snapshot);

  // Opens (creating) the file for appending: a path that cannot be written fails here, at start-up.
  Status Open();
  // Writes one line, rotating first when it would not fit.
  Status Append();

 private:
  Status Reopen(std::ios::openmode mode);

  MetricsJsonlOptions options_;
  std::function<nlohmann::json()> snapshot_;
  std::ofstream file_;
  std::uint64_t bytes_ = 0;  // the current file's size
};

}  // namespace switchyard::server
