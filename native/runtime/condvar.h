#pragma once
// A condition variable that works with std::mutex and needs no new libstdc++ symbol.
// GCC 12 gave std::condition_variable::wait a new symbol version (GLIBCXX_3.4.30), which would raise the
// libstdc++ a prebuilt addon needs to GCC 12's. On POSIX this wraps pthread_cond_t and waits on the std::mutex's
// own pthread_mutex_t; elsewhere (Windows) std::condition_variable has no such problem and is used as is.
#include <mutex>

#if defined(_WIN32)
#include <condition_variable>
#else
#include <pthread.h>
#endif

namespace tg {

#if defined(_WIN32)

using CondVar = std::condition_variable;

#else

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;
  ~CondVar() { pthread_cond_destroy(&cv_); }

  // Same contract as std::condition_variable::wait(lock, pred): `lock` holds its mutex on entry and exit.
  template <typename Pred>
  void wait(std::unique_lock<std::mutex>& lock, Pred pred) {
    while (!pred()) pthread_cond_wait(&cv_, lock.mutex()->native_handle());
  }
  void notify_one() { pthread_cond_signal(&cv_); }
  void notify_all() { pthread_cond_broadcast(&cv_); }

 private:
  pthread_cond_t cv_ = PTHREAD_COND_INITIALIZER;
};

#endif

}  // namespace tg
