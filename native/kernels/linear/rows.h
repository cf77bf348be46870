#pragma once
// The fused linear layer's passes over its [rows × N] planes, one block of rows (or columns) per call,
// compiled for AVX-512, AVX2 and baseline x86-64 and picked by cpu_isa(). Each element gets the same
// arithmetic on every path, so results do not depend on the ISA or on how a caller splits the work.
#include <cstdint>

namespace tg {

// out[r, j] = out[r, j] + b[j] (b may be null), then ReLU if `relu` (x < 0 ? 0 : x, as the relu op:
// NaN and -0 stay), for rows r in [r0, r1) (row stride ld) and columns j in [0, N).
template <class T>
void bias_relu_rows(T* out, int64_t ld, const T* b, int64_t N, int64_t r0, int64_t r1, bool relu);

// Columns [j0, j1) of the ReLU backward and the bias gradient: gp = g where y > 0 (or y is NaN), else +0;
// db[j] = Σ_r gp[r, j] in row order, accumulated in double (db may be null).
template <class T>
void relu_bias_backward_cols(const T* y, const T* g, T* gp, T* db, int64_t M, int64_t N, int64_t j0, int64_t j1);

}  // namespace tg
