#pragma once
// Local response normalisation across channels of a dense [N, C, L] input (PyTorch's formula):
//   scale_c = k + alpha/size · Σ x_j²  over j in [c − ⌊size/2⌋, c + ⌊(size−1)/2⌋] ∩ [0, C)
//   y_c = x_c · scale_c^(−beta)
// Threaded over (n, block of L) items; each output is computed by one thread: identical at any thread count.
#include <cstdint>

namespace tg {

struct LrnArgs {
  int64_t N, C, L, size;
  double alpha, beta, k;
};

// scale (same shape as x) is kept for the backward.
template <class T>
void local_response_norm(const LrnArgs& a, const T* x, T* y, T* scale);

// gx_c = g_c·scale_c^(−beta) − 2·alpha·beta/size · x_c · Σ_j g_j·x_j·scale_j^(−beta−1) over the j whose
// window holds c.
template <class T>
void local_response_norm_backward(const LrnArgs& a, const T* x, const T* g, const T* scale, T* gx);

}  // namespace tg
