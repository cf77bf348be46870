#pragma once
// Packing of op(A) and op(B) blocks into the contiguous, zero-padded panels the micro-kernels read.
// Transposes and leading dimensions are absorbed here; no transpose is ever materialised.
#include <cstdint>

namespace tg {
namespace gemm {

// Packs `lanes` lanes of a block into ceil(lanes/width) panels of width×kb, k-major and zero-padded:
// dst[p*width*kb + k*width + r] = lane (p*width + r) at depth k, and 0 for lanes >= `lanes`.
// The source lane r at depth k is src[k*ld + r] when lanes_contiguous (a copy), else src[r*ld + k] (a transpose).
// op(A) packs with lanes = rows (contiguous iff transA); op(B) with lanes = columns (contiguous iff !transB).
template <typename T>
using PackFn = void (*)(bool lanes_contiguous, const T* src, int64_t ld, int64_t lanes, int64_t kb, int width,
                        T* dst);

template <typename T>
void pack_generic(bool lanes_contiguous, const T* src, int64_t ld, int64_t lanes, int64_t kb, int width, T* dst);

// AVX-512 packing for fp32 (16×16 in-register transposes); only called when cpu_isa() allows AVX-512.
void pack_f32_avx512(bool lanes_contiguous, const float* src, int64_t ld, int64_t lanes, int64_t kb, int width,
                     float* dst);

}  // namespace gemm
}  // namespace tg
