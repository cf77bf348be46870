#pragma once
// Loops around a micro-kernel with the packing left to the caller, for GEMMs whose operands are not plain
// matrices (a convolution's input patches, a depth that runs over several images). gemm.cc runs the Goto/BLIS
// loops on strided matrices.
//
// C[m×n] (row stride ldc) = beta·C + Σ over depth of op(A)·op(B), where the depth is `segments` runs of
// `seg_len` (a block of depth never crosses a run, so a callback packs from one image at a time):
//   pack_a(i0, rows, seg, d0, kb, dst): rows [i0, i0+rows) of op(A) at depth [d0, d0+kb) of run seg, packed as
//     the micro-kernel's MR-wide zero-padded panels (Ukernel::pack with width mr does exactly that);
//   pack_b(j0, cols, seg, d0, kb, dst): columns [j0, j0+cols) of op(B), packed as NR-wide zero-padded panels.
// Every C element is summed in the same order whatever range of C a call covers, so callers may split C over
// threads freely (never the depth) and stay bit-identical at any thread count.
// epilogue(i0, rows, j0, cols) runs on each micro-tile of C right after its last depth block, while the tile is
// still in L1 (a convolution's bias and ReLU), instead of a separate pass over C.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "kernels/gemm/blocking.h"
#include "kernels/gemm/packing_buffer.h"
#include "kernels/gemm/ukernel.h"

namespace tg {
namespace gemm {

// Depth blocks of near-equal size, at most the blocking's kc: 576 → 2 × 288, not 512 + 64.
inline int64_t balanced_depth(int64_t kc, int64_t len) {
  const int64_t blocks = (len + kc - 1) / kc;
  return std::max<int64_t>(1, (len + blocks - 1) / blocks);
}

// Loop order for a short side m (a layer's channel count): per depth block the whole of op(A) is packed once
// (round_up(m, MR) × kc, meant to stay in L2), then op(B) streams one NR-wide panel at a time, packed just
// before the micro-kernels read it from L1. Only the small C block is revisited per depth block.
struct NoEpilogue {
  void operator()(int64_t, int64_t, int64_t, int64_t) const {}
};

template <typename T, class PackA, class PackB, class Epilogue = NoEpilogue>
void blocked_gemm(const Ukernel<T>& uk, int64_t m, int64_t n, int64_t segments, int64_t seg_len,
                  const PackA& pack_a, const PackB& pack_b, T beta, T* c, int64_t ldc,
                  const Epilogue& epilogue = {}) {
  if (m <= 0 || n <= 0) return;
  if (segments * seg_len <= 0) {  // no depth: C = beta·C
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) c[i * ldc + j] = beta == T(0) ? T(0) : beta * c[i * ldc + j];
    epilogue(0, m, 0, n);
    return;
  }
  const int64_t kc = balanced_depth(choose_blocking(uk.mr, uk.nr, sizeof(T)).kc, seg_len);
  T* apack = packing_buffer<T, 0>((m + uk.mr - 1) / uk.mr * uk.mr * kc);
  T* bpack = packing_buffer<T, 1>(uk.nr * kc);
  T b = beta;
  for (int64_t s = 0; s < segments; ++s) {
    for (int64_t pc = 0; pc < seg_len; pc += kc, b = T(1)) {
      const int64_t kb = std::min(kc, seg_len - pc);
      const bool last = s == segments - 1 && pc + kb == seg_len;
      pack_a(0, m, s, pc, kb, apack);
      for (int64_t jr = 0; jr < n; jr += uk.nr) {
        const int64_t cols = std::min<int64_t>(uk.nr, n - jr);
        pack_b(jr, cols, s, pc, kb, bpack);
        for (int64_t ir = 0; ir < m; ir += uk.mr) {
          const int64_t rows = std::min<int64_t>(uk.mr, m - ir);
          uk.fn(kb, apack + ir * kb, bpack, c + ir * ldc + jr, ldc, rows, cols, T(1), b);
          if (last) epilogue(ir, rows, jr, cols);
        }
      }
    }
  }
}

}  // namespace gemm
}  // namespace tg
