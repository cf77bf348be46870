// Goto/BLIS GEMM: five loops around a micro-kernel.
//   jc: nc columns of C     -> pack a kc×nc block of op(B) (L3)
//   pc: kc slice of K       -> (B packed per jc, pc)
//   ic: mc rows of C        -> pack an mc×kc block of op(A) (L2)
//   jr: kc×NR B panel       -> reused by every A panel of the block (L1/L2)
//   ir: MR×kc A panel (L1)  -> micro-kernel updates one MR×NR tile of C
// Threads split C into column (or row) stripes aligned to NR (MR) and each runs the five loops on its stripe
// with its own packing buffers. K is never split, so every C element is summed in the same order for any
// thread count: results are bit-identical across thread counts.
#include "kernels/gemm/gemm.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "kernels/gemm/blocking.h"
#include "kernels/gemm/packing_buffer.h"
#include "kernels/gemm/ukernel.h"
#include "runtime/threadpool.h"

namespace tg {
namespace gemm {
namespace {

// Below this many multiply-adds packing costs more than it saves (~100 ns); such GEMMs run as a direct loop.
constexpr int64_t kDirectMacs = 6 * 6 * 6;
// Each thread's stripe should carry at least this many multiply-adds (a few microseconds of work).
constexpr int64_t kMinMacsPerThread = 64 * 64 * 64;
// A shared run_blocked gives each thread at least this many MR-row tiles of C (else the stripes split columns).
constexpr int64_t kMinRowPanelsPerThread = 8;
// A transposed op(A) this small (bytes at one depth block) is read in place even by narrow tiles (fits_direct).
constexpr int64_t kSmallInPlaceBytes = 32 << 10;

template <typename T>
struct Problem {
  bool ta, tb;
  int64_t m, n, k;
  T alpha;
  const T* a;
  int64_t lda;
  const T* b;
  int64_t ldb;
  T beta;
  T* c;
  int64_t ldc;
  const GemmEpilogue* epilogue = nullptr;
  int64_t row0 = 0, col0 = 0;  // where this (sub-)problem's C lies in the whole C, for the epilogue

  // Address of op(A)(i, p) and op(B)(p, j) in their storage.
  const T* a_at(int64_t i, int64_t p) const { return ta ? a + p * lda + i : a + i * lda + p; }
  const T* b_at(int64_t p, int64_t j) const { return tb ? b + j * ldb + p : b + p * ldb + j; }

  // The sub-problem computing C rows [i0, i0+rows) and columns [j0, j0+cols).
  Problem block(int64_t i0, int64_t rows, int64_t j0, int64_t cols) const {
    Problem s = *this;
    s.m = rows;
    s.n = cols;
    s.a = a_at(i0, 0);
    s.b = b_at(0, j0);
    s.c = c + i0 * ldc + j0;
    s.row0 = row0 + i0;
    s.col0 = col0 + j0;
    return s;
  }

  // The block of C at rows [i0, i0+rows), columns [j0, j0+cols) holds its final sums.
  void finished(int64_t i0, int64_t rows, int64_t j0, int64_t cols) const {
    if (epilogue != nullptr && *epilogue) (*epilogue)(row0 + i0, rows, col0 + j0, cols);
  }
};


template <typename T>
void scale_c(const Problem<T>& p) {
  for (int64_t i = 0; i < p.m; ++i) {
    T* ci = p.c + i * p.ldc;
    for (int64_t j = 0; j < p.n; ++j) ci[j] = p.beta == T(0) ? T(0) : p.beta * ci[j];
  }
}

template <typename T>
void direct(const Problem<T>& p) {
  for (int64_t i = 0; i < p.m; ++i) {
    T* ci = p.c + i * p.ldc;
    for (int64_t j = 0; j < p.n; ++j) {
      T sum = 0;
      for (int64_t k = 0; k < p.k; ++k) sum += *p.a_at(i, k) * *p.b_at(k, j);
      ci[j] = p.beta == T(0) ? p.alpha * sum : p.alpha * sum + p.beta * ci[j];
    }
  }
}

int64_t round_up(int64_t v, int64_t multiple) { return (v + multiple - 1) / multiple * multiple; }

// The two innermost loops: one packed mb×kb block of op(A) times one packed kb×nb block of op(B), into the
// C block at rows ic, columns jc.
template <typename T>
void macro_kernel(const Problem<T>& p, const Ukernel<T>& uk, const T* apack, const T* bpack, int64_t ic, int64_t mb,
                  int64_t jc, int64_t nb, int64_t kb, T beta) {
  for (int64_t jr = 0; jr < nb; jr += uk.nr) {
    for (int64_t ir = 0; ir < mb; ir += uk.mr) {
      const int64_t rows = std::min<int64_t>(uk.mr, mb - ir), cols = std::min<int64_t>(uk.nr, nb - jr);
      T* c = p.c + (ic + ir) * p.ldc + jc + jr;
      if (rows < uk.mr && uk.direct != nullptr) {  // a ragged edge: the direct kernel skips the padding rows
        uk.direct(kb, apack + ir * kb, 1, uk.mr, bpack + jr * kb, uk.nr, c, p.ldc, rows, cols, p.alpha, beta);
      } else {
        uk.fn(kb, apack + ir * kb, bpack + jr * kb, c, p.ldc, rows, cols, p.alpha, beta);
      }
    }
  }
}

// Rows [i0, i1) of C against one packed kb×nb block of op(B): near-equal row blocks of at most mc rows
// (whole tiles but for the last), each packed from op(A) on the calling thread and run through the
// macro-kernel.
template <typename T>
void run_rows(const Problem<T>& p, const Ukernel<T>& uk, const Blocking& bl, const T* bpack, int64_t i0, int64_t i1,
              int64_t jc, int64_t nb, int64_t pc, int64_t kb, T beta) {
  const int64_t blocks = (i1 - i0 + bl.mc - 1) / bl.mc;
  const int64_t mc = round_up((i1 - i0 + blocks - 1) / blocks, uk.mr);
  T* apack = packing_buffer<T, 0>(mc * std::min(bl.kc, p.k));
  for (int64_t ic = i0; ic < i1; ic += mc) {
    const int64_t mb = std::min(mc, i1 - ic);
    uk.pack(p.ta, p.a_at(ic, pc), p.lda, mb, kb, uk.mr, apack);
    macro_kernel(p, uk, apack, bpack, ic, mb, jc, nb, kb, beta);
    if (pc + kb == p.k) p.finished(ic, mb, jc, nb);
  }
}

// The five loops. With `shared`, every thread works on the same packed op(B) block: per block, the threads
// pack its panels together (one region), then each runs its own rows of C against it, packing only its own
// rows of op(A) (a second region). Split into stripes instead, every thread would pack the whole of the
// operand it shares: a thread's work at 2 threads is 1-3 % less this way (n = 512-1024, all transposes;
// measured as CPU time of one thread's share). Without, both regions run inline as one chunk (one
// thread's stripe). Same depth blocks either way, so the same bits.
template <typename T>
void run_blocked(const Problem<T>& p, const Ukernel<T>& uk, const Blocking& bl, bool shared) {
  const int64_t nc = std::min(bl.nc, round_up(p.n, uk.nr));
  const int64_t kc = std::min(bl.kc, p.k);
  const int64_t row_panels = (p.m + uk.mr - 1) / uk.mr;
  T* bpack = packing_buffer<T, 1>(nc * kc);  // the calling thread's; the regions below fill and read it
  for (int64_t jc = 0; jc < p.n; jc += nc) {
    const int64_t nb = std::min(nc, p.n - jc), col_panels = (nb + uk.nr - 1) / uk.nr;
    for (int64_t pc = 0; pc < p.k; pc += kc) {
      const int64_t kb = std::min(kc, p.k - pc);
      const T beta = pc == 0 ? p.beta : T(1);
      parallel_for(col_panels, shared ? 1 : col_panels, [&](int64_t b, int64_t e) {
        const int64_t j0 = b * uk.nr;
        uk.pack(!p.tb, p.b_at(pc, jc + j0), p.ldb, std::min(e * uk.nr, nb) - j0, kb, uk.nr, bpack + j0 * kb);
      });
      parallel_for(row_panels, shared ? 1 : row_panels, [&](int64_t b, int64_t e) {
        run_rows(p, uk, bl, bpack, b * uk.mr, std::min(e * uk.mr, p.m), jc, nb, pc, kb, beta);
      });
    }
  }
}

// The loops for a stripe whose op(A) rows fit in one L2 block (fits_direct): op(A) is read in place (rows of A,
// or columns of a transposed A, feed the micro-kernel directly) and op(B) is read in place too unless it is
// transposed (then packed once per depth block). Nothing else is packed: the direct kernel covers ragged edges
// itself. A block of at most direct_nr columns is one panel (the kernel picks a tile as wide as it); wider ones
// go in panels of nr. Same depth blocks as run_blocked, so the two give the same bits.
template <typename T>
void run_direct(const Problem<T>& p, const Ukernel<T>& uk, const Blocking& bl) {
  const int64_t nc = std::min(bl.nc, round_up(p.n, uk.nr));
  const int64_t kc = std::min(bl.kc, p.k);
  const int64_t a_rs = p.ta ? 1 : p.lda, a_cs = p.ta ? p.lda : 1;
  T* bpack = p.tb ? packing_buffer<T, 1>(std::max<int64_t>(nc, uk.direct_nr) * kc) : nullptr;
  for (int64_t jc = 0; jc < p.n; jc += nc) {
    const int64_t nb = std::min(nc, p.n - jc);
    const int64_t width = nb <= uk.direct_nr ? nb : uk.nr;
    for (int64_t pc = 0; pc < p.k; pc += kc) {
      const int64_t kb = std::min(kc, p.k - pc);
      const T beta = pc == 0 ? p.beta : T(1);
      if (p.tb) uk.pack(false, p.b_at(pc, jc), p.ldb, nb, kb, width, bpack);
      for (int64_t jr = 0; jr < nb; jr += width) {
        const T* b = p.tb ? bpack + jr * kb : p.b_at(pc, jc + jr);
        const int64_t cols = std::min(width, nb - jr);
        uk.direct(kb, p.a_at(0, pc), a_rs, a_cs, b, p.tb ? width : p.ldb, p.c + jc + jr, p.ldc, p.m, cols, p.alpha, beta);
        if (pc + kb == p.k) p.finished(0, p.m, jc + jr, cols);
      }
    }
  }
}

// Packing pays for itself only when op(A) is re-read from beyond L2: in place while all its rows (at one
// depth block) fit the L2 share run_blocked gives its packed A block. Measured on Zen 5: n = 64…256 gain
// 5-20 % in place, n = 512 loses ~10 %. A transposed op(A) is read k-major in place, MR values of one storage
// row per depth step: below half a cache line (AVX2's 6 fp32 rows) most of each line fetched goes unused, which
// pays only while the whole of op(A) stays in L1 (AVX2, Zen 5: 64³ Aᵀ·B 0.75× → 1.05× OpenBLAS in place, but
// 784×512×128 0.99× → 0.89×, so that one packs).
template <typename T>
bool fits_direct(const Problem<T>& p, const Ukernel<T>& uk, const Blocking& bl) {
  const int64_t depth = std::min(bl.kc, p.k);
  if (p.m * depth > bl.mc * bl.kc) return false;
  return !p.ta || uk.mr * sizeof(T) >= 32 || p.m * depth * int64_t(sizeof(T)) <= kSmallInPlaceBytes;
}

template <typename T>
void run_stripe(const Problem<T>& p, const Ukernel<T>& uk, const Blocking& bl) {
  if (uk.direct != nullptr && fits_direct(p, uk, bl)) {
    run_direct(p, uk, bl);
  } else {
    run_blocked(p, uk, bl, false);
  }
}

// Splits C into stripes along the dimension with more tiles and runs the stripes on the thread pool; a
// product that packs and has rows for every thread shares its packed op(B) instead (run_blocked, shared).
template <typename T>
void run_parallel(const Problem<T>& p) {
  const Ukernel<T> uk = select_ukernel<T>();
  const Blocking bl = choose_blocking(uk.mr, uk.nr, sizeof(T));
  const int64_t col_panels = (p.n + uk.nr - 1) / uk.nr;
  const int64_t row_panels = (p.m + uk.mr - 1) / uk.mr;
  const int64_t threads = std::min<int64_t>(num_threads(), p.m * p.n * p.k / kMinMacsPerThread);
  if (threads <= 1) {  // no region to set up: a 64³ product takes ~2.5 µs, a region ~0.1
    run_stripe(p, uk, bl);
    return;
  }
  if (!fits_direct(p, uk, bl) && row_panels >= kMinRowPanelsPerThread * threads) {
    run_blocked(p, uk, bl, true);
    return;
  }
  const bool split_cols = col_panels * uk.nr >= row_panels * uk.mr || row_panels < num_threads();
  if (split_cols) {
    const int64_t grain = std::max<int64_t>(1, kMinMacsPerThread / (p.m * p.k * uk.nr));
    parallel_for(col_panels, grain, [&](int64_t b, int64_t e) {
      const int64_t j0 = b * uk.nr;
      run_stripe(p.block(0, p.m, j0, std::min(e * uk.nr, p.n) - j0), uk, bl);
    });
  } else {
    const int64_t grain = std::max<int64_t>(1, kMinMacsPerThread / (p.n * p.k * uk.mr));
    parallel_for(row_panels, grain, [&](int64_t b, int64_t e) {
      const int64_t i0 = b * uk.mr;
      run_stripe(p.block(i0, std::min(e * uk.mr, p.m) - i0, 0, p.n), uk, bl);
    });
  }
}

template <typename T>
void gemm(const Problem<T>& p) {
  if (p.m <= 0 || p.n <= 0) return;
  if (p.k <= 0 || p.alpha == T(0)) {
    scale_c(p);
    p.finished(0, p.m, 0, p.n);
  } else if (p.m * p.n * p.k <= kDirectMacs) {
    direct(p);
    p.finished(0, p.m, 0, p.n);
  } else {
    run_parallel(p);
  }
}

}  // namespace
}  // namespace gemm

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  gemm::gemm<float>({transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc});
}

void dgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, double alpha, const double* A, int64_t lda,
           const double* B, int64_t ldb, double beta, double* C, int64_t ldc) {
  gemm::gemm<double>({transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc});
}

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc, const GemmEpilogue& epilogue) {
  gemm::gemm<float>({transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, &epilogue});
}

void dgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, double alpha, const double* A, int64_t lda,
           const double* B, int64_t ldb, double beta, double* C, int64_t ldc, const GemmEpilogue& epilogue) {
  gemm::gemm<double>({transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, &epilogue});
}

}  // namespace tg
