#pragma once
// The Goto/BLIS loops around a micro-kernel with the packing left to the caller, for GEMMs whose operands are
// not plain matrices (a convolution's input patches, a depth that runs over several images). gemm.cc runs the
// same loops on strided matrices.
//
// C[m×n] (row stride ldc) = beta·C + Σ over depth of op(A)·op(B), where the depth is `segments` runs of
// `seg_len` (a block of depth never crosses a run, so a callback packs from one image at a time):
//   pack_a(i0, rows, seg, d0, kb, dst): rows [i0, i0+rows) of op(A) at depth [d0, d0+kb) of run seg, packed as
//     the micro-kernel's MR-wide panels (Ukernel::pack with width mr does exactly that);
//   pack_b(j0, cols, seg, d0, kb, dst): columns [j0, j0+cols) of op(B), packed as NR-wide zero-padded panels.
// Every C element is summed in the same order whatever range of C a call covers, so callers may split C over
// threads freely (never the depth) and stay bit-identical at any thread count.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "kernels/gemm/blocking.h"
#include "kernels/gemm/ukernel.h"

namespace tg {
namespace gemm {

// A 64-byte-aligned array owned by the calling thread, grown on demand and reused across calls; Slot tells
// apart the buffers one call needs at once.
template <typename T, int Slot>
T* packing_buffer(int64_t count) {
  struct Buffer {
    T* data = nullptr;
    int64_t cap = 0;
    ~Buffer() { std::free(data); }
  };
  thread_local Buffer buf;
  if (count > buf.cap) {
    std::free(buf.data);
    buf.data = nullptr;
    buf.cap = 0;
    const size_t bytes = (static_cast<size_t>(count) * sizeof(T) + 63) / 64 * 64;
    buf.data = static_cast<T*>(std::aligned_alloc(64, bytes));
    if (buf.data == nullptr) throw std::bad_alloc();
    buf.cap = count;
  }
  return buf.data;
}

template <typename T, class PackA, class PackB>
void blocked_gemm(const Ukernel<T>& uk, int64_t m, int64_t n, int64_t segments, int64_t seg_len,
                  const PackA& pack_a, const PackB& pack_b, T beta, T* c, int64_t ldc) {
  if (m <= 0 || n <= 0) return;
  const Blocking bl = choose_blocking(uk.mr, uk.nr, sizeof(T));
  const int64_t nc = std::min(bl.nc, (n + uk.nr - 1) / uk.nr * uk.nr);
  const int64_t mc = std::min(bl.mc, (m + uk.mr - 1) / uk.mr * uk.mr);
  const int64_t kc = std::max<int64_t>(1, std::min(bl.kc, seg_len));
  T* bpack = packing_buffer<T, 0>(nc * kc);
  T* apack = packing_buffer<T, 1>(mc * kc);
  if (segments * seg_len <= 0) {  // no depth: C = beta·C
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    return;
  }
  for (int64_t jc = 0; jc < n; jc += nc) {
    const int64_t nb = std::min(nc, n - jc);
    T b = beta;
    for (int64_t s = 0; s < segments; ++s) {
      for (int64_t pc = 0; pc < seg_len; pc += kc, b = T(1)) {
        const int64_t kb = std::min(kc, seg_len - pc);
        pack_b(jc, nb, s, pc, kb, bpack);
        for (int64_t ic = 0; ic < m; ic += mc) {
          const int64_t mb = std::min(mc, m - ic);
          pack_a(ic, mb, s, pc, kb, apack);
          for (int64_t jr = 0; jr < nb; jr += uk.nr)
            for (int64_t ir = 0; ir < mb; ir += uk.mr)
              uk.fn(kb, apack + ir * kb, bpack + jr * kb, c + (ic + ir) * ldc + jc + jr, ldc,
                    std::min<int64_t>(uk.mr, mb - ir), std::min<int64_t>(uk.nr, nb - jr), T(1), b);
        }
      }
    }
  }
}

}  // namespace gemm
}  // namespace tg
