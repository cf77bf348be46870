#pragma once
// A contiguous block viewed as [outer, D, inner]: outer*inner lines of D elements, each line's
// elements `inner` apart. Line-wise kernels (softmax, logsumexp, var, norm, cumsum, sort) walk it
// with for_each_line, which splits whole lines across the thread pool, so every line is computed
// in one fixed order whatever the thread count.
#include <cstdint>

#include "runtime/threadpool.h"

namespace tg {

struct Lines {
  int64_t outer, D, inner;
};

// Runs f(line, base, step) for each line: its number (o * inner + i, the index of its result in a
// reduction), the offset of its first element, and the distance between its elements.
template <class F>
void for_each_line(const Lines& d, F f) {
  const int64_t lines = d.outer * d.inner;
  const int64_t grain = d.D > 0 ? (1 << 14) / d.D + 1 : lines;
  parallel_for(lines, grain, [&](int64_t l0, int64_t l1) {
    for (int64_t l = l0; l < l1; ++l) {
      const int64_t o = l / d.inner, i = l % d.inner;
      f(l, o * d.D * d.inner + i, d.inner);
    }
  });
}

}  // namespace tg
