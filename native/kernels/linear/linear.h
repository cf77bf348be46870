#pragma once
// Fused linear layer: out[M×N] = x[M×K] · wᵀ + b, then optionally ReLU. w is N×K (nn.Linear's layout),
// b has N entries broadcast over the rows, or is null. All operands are dense and row-major.
// The bias is written into out first and the product added with one GEMM (beta = 1), so the layer costs
// one pass over out beyond the GEMM itself only when ReLU is asked for.
#include <cstdint>

namespace tg {

template <class T>
void linear(int64_t M, int64_t N, int64_t K, const T* x, const T* w, const T* b, T* out, bool relu);

}  // namespace tg
