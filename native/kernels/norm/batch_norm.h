#pragma once
// Batch normalisation of a dense [N, C, L] input (L = H·W, or 1 for [N, C]), per channel c:
//   y = (x − mean_c) · invstd_c · w_c + b_c
// training: mean and invstd = 1/√(var + eps) from the batch (biased variance), and running stats
//   (if given) move by `factor`: r ← (1 − factor)·r + factor·s, with the unbiased variance.
// eval: mean = running mean, invstd = 1/√(running var + eps).
// Threaded over channels, one thread per channel in a fixed order: bit-identical at any thread count.
#include <cstdint>

namespace tg {

struct BatchNormArgs {
  int64_t N, C, L;
  bool training;
  double factor, eps;
};

// w, b, run_mean, run_var may be null (weight 1, bias 0; no running stats). mean and invstd
// receive the statistics used, [C] each, for the backward.
template <class T>
void batch_norm(const BatchNormArgs& a, const T* x, const T* w, const T* b, T* run_mean, T* run_var, T* y, T* mean,
                T* invstd);

// From the saved mean and invstd: gx (training: through the batch statistics; eval: g·w·invstd),
// gw = Σ g·x̂, gb = Σ g over N and L. Any of gx, gw, gb may be null (not wanted).
template <class T>
void batch_norm_backward(const BatchNormArgs& a, const T* x, const T* g, const T* w, const T* mean, const T* invstd,
                         T* gx, T* gw, T* gb);

}  // namespace tg
