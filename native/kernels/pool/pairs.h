#pragma once
// Rows of 2×2 stride-2 max pooling (LeNet's) for fp32 on AVX-512: 16 outputs per step, the window's four values
// split out of two input rows by lane permutes. Same results as the portable loop in pool2d.cc (PyTorch's order:
// rows, then columns; the first maximum wins a tie; a NaN wins over any number). Call only when cpu_isa() allows
// AVX-512. The backward stays portable: written the same way (permutes back, masked stores at a row's end) it
// was slower in LeNet's step (median per call over its two pools 170 → 198 µs, one process, load 9),
// though faster on a plane already in cache.
#include <cstdint>

namespace tg {
namespace pool {

// yr[ow], ir[ow] for ow < ow_count: the maximum of r0[2·ow], r0[2·ow + 1], r1[2·ow], r1[2·ow + 1] and its flat
// index (i0 + 2·ow, + 1, + w, + w + 1); r1 = r0 + w.
void max_pairs_row_f32_avx512(const float* r0, int64_t w, int64_t ow_count, int32_t i0, float* yr, int32_t* ir);

}  // namespace pool
}  // namespace tg
