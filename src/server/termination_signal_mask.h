// TerminationSignalMask: blocks SIGINT and SIGTERM on the calling thread until Restore (or
// destruction). Threads inherit the mask of the thread that starts them, so the server starts its
// background threads (writers, workers, periodic tasks) inside one: a stop signal can then only be
// delivered to an I/O thread, where the signal_set waits for it, never to a thread blocked in
// SQLite or a sleep (under ThreadSanitizer such a thread could hold the signal back for a minute).
#pragma once

#include <csignal>

namespace switchyard::server {

class TerminationSignalMask {
 public:
  TerminationSignalMask();
  ~TerminationSignalMask() { Restore(); }
  TerminationSignalMask(const TerminationSignalMask&) = delete;
  TerminationSignalMask& operator=(const TerminationSignalMask&) = delete;

  // Puts back the calling thread's previous mask; a signal that arrived meanwhile is delivered now.
  void Restore();

 private:
  sigset_t previous_{};
  bool active_ = false;
};

}  // namespace switchyard::server
