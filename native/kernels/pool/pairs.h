#pragma once
// Rows of 2×2 stride-2 max pooling (LeNet's), forward and backward, for fp32 on AVX-512: 16 outputs per step,
// the window's four values split out of two input rows by lane permutes. Same results as the portable loops
// in pool2d.cc (PyTorch's order: rows, then columns; the first maximum wins a tie; a NaN wins over any number).
// Call only when cpu_isa() allows AVX-512.
#include <cstdint>

namespace tg {
namespace pool {

// yr[ow], ir[ow] for ow < ow_count: the maximum of r0[2·ow], r0[2·ow + 1], r1[2·ow], r1[2·ow + 1] and its flat
// index (i0 + 2·ow, + 1, + w, + w + 1); r1 = r0 + w.
void max_pairs_row_f32_avx512(const float* r0, int64_t w, int64_t ow_count, int32_t i0, float* yr, int32_t* ir);

// The adjoint: each window's four inputs in rows r0 and r0 + w get gy + 0 where ir points, else 0.
void unpool_pairs_row_f32_avx512(const float* gy, const int32_t* ir, int64_t w, int64_t ow_count, int32_t i0,
                                 float* r0);

}  // namespace pool
}  // namespace tg
