#pragma once
// Whole tasks (images, or image × group) spread over the pool by claiming: each thread takes the next task from
// a shared counter until none is left. On a shared machine a thread that starts late or is preempted then takes
// fewer tasks, instead of the others idling at the end of a fixed split. Each task still runs whole on one
// thread, so results do not depend on which thread ran it, nor on the thread count.
#include <algorithm>
#include <atomic>
#include <cstdint>

#include "runtime/threadpool.h"

namespace tg {
namespace conv {

// f(t) for every t in [0, tasks).
template <class F>
void for_each_claimed(int64_t tasks, const F& f) {
  std::atomic<int64_t> next{0};
  parallel_for(std::min<int64_t>(tasks, num_threads()), 1, [&](int64_t, int64_t) {
    for (int64_t t = next++; t < tasks; t = next++) f(t);
  });
}

}  // namespace conv
}  // namespace tg
