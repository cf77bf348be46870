#pragma once
// Micro-kernel contract shared by every ISA.
//
// A micro-kernel multiplies one packed MR×kc panel of op(A) (stored k-major: MR values per k) by one packed
// kc×NR panel of op(B) (NR values per k), both zero-padded, and updates the m×n corner (m <= MR, n <= NR) of
// the C tile at c: C = alpha * (A·B) + beta * C, where beta == 0 writes C without reading it.
#include <cstdint>

#include "kernels/gemm/pack.h"

namespace tg {
namespace gemm {

template <typename T>
using UkernelFn = void (*)(int64_t kc, const T* a, const T* b, T* c, int64_t ldc, int64_t m, int64_t n, T alpha,
                           T beta);

// A micro-kernel, its tile shape and the packing routine that feeds it.
template <typename T>
struct Ukernel {
  int mr;
  int nr;
  UkernelFn<T> fn;
  PackFn<T> pack;
};

// One entry point per ISA file; an ISA that is not compiled in (e.g. arm64) returns the generic kernel.
Ukernel<float> ukernel_f32_generic();
Ukernel<double> ukernel_f64_generic();
Ukernel<float> ukernel_f32_avx2();
Ukernel<double> ukernel_f64_avx2();
Ukernel<float> ukernel_f32_avx512();
Ukernel<double> ukernel_f64_avx512();
Ukernel<float> ukernel_f32_avx512_8x48();  // 8×48 fp32 tile, for short sides of 8·k rows (convolutions)

// The kernel for the ISA currently chosen by cpu_isa() (re-read on every call, so set_isa takes effect).
template <typename T>
Ukernel<T> select_ukernel();

}  // namespace gemm
}  // namespace tg
