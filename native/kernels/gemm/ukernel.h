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

// The m×n block of C (any m >= 1; n <= Ukernel::direct_nr) from operands read where they lie, for GEMMs small
// enough that packing costs more than it saves: op(A)(i, k) at a[i*a_rs + k*a_cs], with a_rs == 1 or
// a_cs == 1; op(B)(k, j) at b[k*b_rs + j]. Only rows [0, m) of op(A) and columns [0, n) of op(B) are read (the
// kernel picks its tile shapes for n and covers a ragged edge with shorter tiles and masked loads), and each C
// element is summed exactly as UkernelFn sums it, so the results are bit-identical to the packed path.
template <typename T>
using DirectFn = void (*)(int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, const T* b, int64_t b_rs, T* c,
                          int64_t ldc, int64_t m, int64_t n, T alpha, T beta);

// How a direct micro-kernel walks A: k-major (a_rs == 1) or row-major (a_cs == 1).
enum class ALayout { KMajor, RowMajor };

// A micro-kernel, its tile shape and the packing routine that feeds it.
template <typename T>
struct Ukernel {
  int mr;
  int nr;
  UkernelFn<T> fn;
  PackFn<T> pack;
  DirectFn<T> direct;  // null: this ISA always packs
  int direct_nr;       // the widest block of columns direct takes (>= nr)
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
