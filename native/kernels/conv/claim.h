#pragma once
// Whole tasks (images, or image × group) spread over the pool by claiming. Each participant first takes the
// tasks of its own contiguous share in order (images 0–31 of 64 on the first of 2 threads), then helps with
// the others' shares: the image that a thread convolves is then the one the plane-split kernels around the
// convolution (bias, ReLU, pooling) give that thread, so its data stays in that core's cache, while on a
// shared machine a thread that starts late or is preempted still takes fewer tasks instead of the others
// idling at the end. Each task runs whole on one thread, so results do not depend on which thread ran it,
// nor on the thread count.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>

#include "runtime/threadpool.h"

namespace tg {
namespace conv {

// f(t) for every t in [0, tasks).
template <class F>
void for_each_claimed(int64_t tasks, const F& f) {
  const int64_t parts = std::min<int64_t>(tasks, num_threads());
  if (parts <= 1) {
    for (int64_t t = 0; t < tasks; ++t) f(t);
    return;
  }
  const auto begin = [&](int64_t p) { return tasks * p / parts; };
  std::unique_ptr<std::atomic<int64_t>[]> next(new std::atomic<int64_t>[parts]);
  for (int64_t p = 0; p < parts; ++p) next[p].store(begin(p), std::memory_order_relaxed);
  parallel_for(parts, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p)
      for (int64_t i = 0; i < parts; ++i) {  // own share first, then the next ones
        const int64_t q = (p + i) % parts, end = begin(q + 1);
        for (int64_t t = next[q]++; t < end; t = next[q]++) f(t);
      }
  });
}

}  // namespace conv
}  // namespace tg
