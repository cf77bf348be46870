#pragma once
// Fused linear layer: out[M×N] = x[M×K] · wᵀ + b, then optionally ReLU. w is N×K (nn.Linear's layout),
// b has N entries broadcast over the rows, or is null. All operands are dense and row-major.
// The GEMM's epilogue adds the bias and applies ReLU to each block of out once its sums are final, so the
// result equals matmul, then add, then relu bit for bit (a bias written first and summed into by the GEMM
// would round differently), and out is written once instead of twice.
#include <cstdint>

namespace tg {

template <class T>
void linear(int64_t M, int64_t N, int64_t K, const T* x, const T* w, const T* b, T* out, bool relu);

// The fused layer's ReLU derivative and bias gradient in one pass over the output gradient:
// gp = g where y > 0 (and where y is NaN, as the relu op's rule), else 0; db[j] = Σ_r gp[r, j], summed
// in row order in double as the sum op does, so both match the unfused ops bit for bit. db may be null.
template <class T>
void relu_bias_backward(int64_t M, int64_t N, const T* y, const T* g, T* gp, T* db);

}  // namespace tg
