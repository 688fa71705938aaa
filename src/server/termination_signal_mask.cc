#include "server/termination_signal_mask.h"

#include <pthread.h>

namespace switchyard::server {

TerminationSignalMask::TerminationSignalMask() {
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  active_ = pthread_sigmask(SIG_BLOCK, &blocked, &previous_) == 0;
}

void TerminationSignalMask::Restore() {
  if (!active_) return;
  active_ = false;
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace switchyard::server
