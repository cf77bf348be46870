#pragma once
// Group normalisation of a dense [N, C, L] input with C = G·Cg: each (n, group) block of Cg·L
// contiguous values is normalised by its own mean and rstd = 1/√(var + eps) (biased), then
//   y = x̂ · w_c + b_c  per channel c.
// LayerNorm is the case G = 1, L = 1 with C = the normalized size (its weight is per element).
// The forward and gx are threaded over blocks, gw and gb over channels; each value is summed by one
// thread in a fixed order, so results are identical at any thread count.
#include <cstdint>

namespace tg {

struct GroupNormArgs {
  int64_t N, C, L, G;
  double eps;
};

// w and b may be null. mean and rstd receive the [N·G] statistics for the backward.
template <class T>
void group_norm(const GroupNormArgs& a, const T* x, const T* w, const T* b, T* y, T* mean, T* rstd);

// gx = rstd·(g' − mean(g') − x̂·mean(g'·x̂)) with g' = g·w over each block; gw_c = Σ g·x̂, gb_c = Σ g
// over N and L. Any of gx, gw, gb may be null.
template <class T>
void group_norm_backward(const GroupNormArgs& a, const T* x, const T* g, const T* w, const T* mean, const T* rstd,
                         T* gx, T* gw, T* gb);

}  // namespace tg
