// Names the calling thread, so that `top -H`, `perf`, gdb and /proc/PID/task/*/comm tell the
// server's threads apart (I/O lanes, the event writer, background tasks) when profiling one.
// Linux keeps the first 15 bytes of a name. The process's main thread is never renamed: its name
// is the process's, which ps and pgrep show.
#pragma once

#include <pthread.h>

#include <string>

namespace switchyard {

inline void NameThisThread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace switchyard
