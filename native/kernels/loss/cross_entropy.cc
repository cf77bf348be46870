#include "kernels/loss/cross_entropy.h"

#include <cmath>

#include "runtime/threadpool.h"

namespace tg {
namespace {

// Rows per chunk: about 2,048 logits (two exps each, ~20 µs) per thread, so a small batch such as
// 128×10 runs inline instead of paying a parallel region's wake-up for a few microseconds of work.
int64_t row_grain(int64_t C) { return 1 + (int64_t(1) << 11) / (C + 1); }

}  // namespace

// Log-probabilities are (x − m) − log s, as PyTorch computes them: x − (m + log s) rounds log s
// away once the logits are large (1e6 in float32). Ignored rows are skipped, never multiplied by
// a zero weight, and the label-smoothing term is added only when eps > 0: 0 × (−inf) would be NaN.
template <class T>
void cross_entropy(const CrossEntropyArgs& a, const T* x, const int32_t* t, T* loss, T* probs) {
  const T eps = T(a.smoothing);
  parallel_for(a.N, row_grain(a.C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* row = x + r * a.C;
      T m = row[0];
      for (int64_t c = 1; c < a.C; ++c) m = row[c] > m ? row[c] : m;
      T s = 0, shifted_sum = 0;
      for (int64_t c = 0; c < a.C; ++c) {
        s += std::exp(row[c] - m);
        shifted_sum += row[c] - m;
      }
      const T ls = std::log(s);
      if (probs)
        for (int64_t c = 0; c < a.C; ++c) probs[r * a.C + c] = std::exp((row[c] - m) - ls);
      if (t[r] == a.ignore) {
        loss[r] = 0;
        continue;
      }
      const T nll = ls - (row[t[r]] - m);
      loss[r] = eps > 0 ? (T(1) - eps) * nll + eps * (ls - shifted_sum / T(a.C)) : nll;
    }
  });
}

template <class T>
void cross_entropy_backward(const CrossEntropyArgs& a, const T* probs, const int32_t* t, const T* grow, T* gx) {
  const T eps = T(a.smoothing), off = eps / T(a.C);
  parallel_for(a.N, row_grain(a.C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      T* out = gx + r * a.C;
      const T* p = probs + r * a.C;
      if (t[r] == a.ignore) {
        for (int64_t c = 0; c < a.C; ++c) out[c] = 0;
        continue;
      }
      const T g = grow[r];
      for (int64_t c = 0; c < a.C; ++c) out[c] = g * (p[c] - off);
      out[t[r]] -= g * (T(1) - eps);
    }
  });
}

template void cross_entropy<float>(const CrossEntropyArgs&, const float*, const int32_t*, float*, float*);
template void cross_entropy<double>(const CrossEntropyArgs&, const double*, const int32_t*, double*, double*);
template void cross_entropy_backward<float>(const CrossEntropyArgs&, const float*, const int32_t*, const float*,
                                            float*);
template void cross_entropy_backward<double>(const CrossEntropyArgs&, const double*, const int32_t*,
                                             const double*, double*);

}  // namespace tg
