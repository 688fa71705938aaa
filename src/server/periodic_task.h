// PeriodicTask: runs a task on its own thread at once and then every `period`, until Stop (or
// destruction). For the server's background work that may block on the store (firing scheduled
// changes, flushing evaluation counters): it never runs on an I/O thread, and never competes for
// the worker pool that requests need.
//
// Thread-safety: Stop from any thread; the task runs on the task's thread only, one run at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace switchyard::server {

class PeriodicTask {
 public:
  // `thread_name`: what the task's thread is called (NameThisThread), for profiling.
  PeriodicTask(std::string thread_name, std::chrono::milliseconds period, std::function<void()> task);
  ~PeriodicTask() { Stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Waits for a run in progress to finish; no run starts after it returns.
  void Stop();

 private:
  void Loop();

  std::chrono::milliseconds period_;
  std::string thread_name_;
  std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;     // last: started once the rest is initialized
};

}  // namespace switchyard::server
