#pragma once
// Softmax and negative log-likelihood fused in one pass over logits [N, C] (contiguous rows).
// Targets are class indices already checked to lie in [0, C) or equal `ignore`.
#include <cstdint>

namespace tg {

struct CrossEntropyArgs {
  int64_t N, C;
  int32_t ignore;    // rows whose target equals this contribute 0 and get no gradient
  double smoothing;  // label smoothing epsilon in [0, 1]
};

// loss[i] = (1-eps) * (lse_i - x[i, t_i]) + eps * (lse_i - mean_c x[i, c]);
// probs (may be null) receives softmax(x) for the backward.
template <class T>
void cross_entropy(const CrossEntropyArgs& a, const T* x, const int32_t* t, T* loss, T* probs);

// gx[i, c] = grow[i] * (probs[i, c] - (1-eps) * [c == t_i] - eps / C), 0 for ignored rows.
template <class T>
void cross_entropy_backward(const CrossEntropyArgs& a, const T* probs, const int32_t* t, const T* grow, T* gx);

}  // namespace tg
