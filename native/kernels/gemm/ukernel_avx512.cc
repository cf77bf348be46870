// AVX-512 micro-kernels: 12×32 fp32 and 12×16 fp64 tiles (24 zmm accumulators, 2 B vectors, 1 broadcast).
// Every function that touches zmm registers carries the target attribute itself and lives in this file's
// anonymous namespace, so no AVX-512 code can leak into baseline code through a shared inline symbol.
#include "kernels/gemm/ukernel.h"

#include "runtime/cpu.h"

#ifdef TG_X86_SIMD
#include <immintrin.h>

#define TG_AVX512 __attribute__((target("avx512f,avx512vl,fma"), always_inline)) inline

namespace tg {
namespace gemm {
namespace {

struct F32 {
  using T = float;
  using V = __m512;
  using Mask = __mmask16;
  static constexpr int kLanes = 16;
  TG_AVX512 static V zero() { return _mm512_setzero_ps(); }
  TG_AVX512 static V set1(T x) { return _mm512_set1_ps(x); }
  TG_AVX512 static V load(const T* p) { return _mm512_loadu_ps(p); }  // B rows read in place need not be aligned
  TG_AVX512 static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  TG_AVX512 static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  TG_AVX512 static V load_c(Mask m, const T* p) { return _mm512_maskz_loadu_ps(m, p); }
  TG_AVX512 static void storeu(T* p, V v) { _mm512_storeu_ps(p, v); }
  TG_AVX512 static void store_c(T* p, Mask m, V v) { _mm512_mask_storeu_ps(p, m, v); }
};

struct F64 {
  using T = double;
  using V = __m512d;
  using Mask = __mmask8;
  static constexpr int kLanes = 8;
  TG_AVX512 static V zero() { return _mm512_setzero_pd(); }
  TG_AVX512 static V set1(T x) { return _mm512_set1_pd(x); }
  TG_AVX512 static V load(const T* p) { return _mm512_loadu_pd(p); }
  TG_AVX512 static V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  TG_AVX512 static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  TG_AVX512 static V load_c(Mask m, const T* p) { return _mm512_maskz_loadu_pd(m, p); }
  TG_AVX512 static void storeu(T* p, V v) { _mm512_storeu_pd(p, v); }
  TG_AVX512 static void store_c(T* p, Mask m, V v) { _mm512_mask_storeu_pd(p, m, v); }
};

// Lanes [0, n) of a vector starting at column `first`, for the masked edge columns of a tile.
template <typename S>
typename S::Mask column_mask(int64_t n, int first) {
  const int64_t left = n - first;
  if (left <= 0) return 0;
  if (left >= S::kLanes) return static_cast<typename S::Mask>(~0u);
  return static_cast<typename S::Mask>((1u << left) - 1);
}

// One MR×(NV·L) tile: C = alpha·(A·B) + beta·C on the m×n corner. B row k lies at b + k·b_step: NV·L values,
// all readable, or with MaskB only the first n, n > (NV-1)·L (the last vector is a masked load: a B read in place
// needs no padded copy, and costs the same on Zen 5). A lies k-major (element (i, k) at a[k·a_step + i]: packed panels, or op(A) = Aᵀ read in
// place) or row-major (a[i·a_step + k]: op(A) = A read in place); all MR rows must be readable. Every C element
// is summed the same way (zero, then one FMA per k in order), so packed and in-place operands, and tiles of any
// shape, give the same bits.
template <typename S, int MR, int NV, ALayout AL, bool MaskB = false>
TG_AVX512 void tile(int64_t kc, const typename S::T* a, int64_t a_step, const typename S::T* b, int64_t b_step,
                    typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha, typename S::T beta) {
  using V = typename S::V;
  constexpr int L = S::kLanes;
  V acc[MR][NV];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) acc[i][v] = S::zero();
  }
  // The C tile is needed only after the k loop: start its (possibly DRAM) loads now, every line of every row.
  for (int64_t i = 0; i < m; ++i) {
    for (int v = 0; v < NV * L; v += 64 / static_cast<int>(sizeof(*c))) {
      _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + v), _MM_HINT_T1);
    }
  }
  // kc >= 1 (the contract): with no zero-trip path to merge, the accumulators never round-trip through the stack.
  if (kc <= 0) __builtin_unreachable();
  const typename S::Mask last = column_mask<S>(n, (NV - 1) * L);  // B's last vector (with MaskB)
  if constexpr (AL == ALayout::KMajor) {
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; ++k) {
      V bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = MaskB && v == NV - 1 ? S::load_c(last, b + v * L) : S::load(b + v * L);
      for (int i = 0; i < MR; ++i) {
        const V ai = S::set1(a[i]);
        for (int v = 0; v < NV; ++v) acc[i][v] = S::fma(ai, bv[v], acc[i][v]);
      }
      a += a_step;
      b += b_step;
    }
  } else {
    // Rows in groups of six from two bases, so each row address is base + {0,1,2,4}·step or base + {3,5}·step
    // (two precomputed multiples): no per-row pointer registers, no spills.
    const int64_t s3 = 3 * a_step, s5 = 5 * a_step;
    const typename S::T* a6 = a + 6 * a_step;
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; ++k) {
      V bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = MaskB && v == NV - 1 ? S::load_c(last, b + v * L) : S::load(b + v * L);
      for (int i = 0; i < MR; ++i) {
        const typename S::T* base = i < 6 ? a : a6;
        const int r = i % 6;
        const int64_t off = r == 3 ? s3 : r == 5 ? s5 : r * a_step;
        const V ai = S::set1(base[off]);
        for (int v = 0; v < NV; ++v) acc[i][v] = S::fma(ai, bv[v], acc[i][v]);
      }
      ++a;
      ++a6;
      b += b_step;
    }
  }
  const V va = S::set1(alpha);
  const V vb = S::set1(beta);
  if (m >= MR && n >= NV * L) {  // a whole tile: plain stores
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      typename S::T* ci = c + i * ldc;
      for (int v = 0; v < NV; ++v) {
        V r = S::mul(va, acc[i][v]);
        if (beta != 0) r = S::fma(vb, S::load(ci + v * L), r);
        S::storeu(ci + v * L, r);
      }
    }
    return;
  }
  typename S::Mask mask[NV];
  for (int v = 0; v < NV; ++v) mask[v] = column_mask<S>(n, v * L);
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (i >= m) break;
    typename S::T* ci = c + i * ldc;
    for (int v = 0; v < NV; ++v) {
      V r = S::mul(va, acc[i][v]);
      if (beta != 0) r = S::fma(vb, S::load_c(mask[v], ci + v * L), r);
      S::store_c(ci + v * L, mask[v], r);
    }
  }
}

// Packed panels (Ukernel::fn).
template <typename S, int MR, int NV>
__attribute__((target("avx512f,avx512vl,fma"))) void kernel(int64_t kc, const typename S::T* a,
                                                           const typename S::T* b, typename S::T* c, int64_t ldc,
                                                           int64_t m, int64_t n, typename S::T alpha,
                                                           typename S::T beta) {
  tile<S, MR, NV, ALayout::KMajor>(kc, a, MR, b, NV * S::kLanes, c, ldc, m, n, alpha, beta);
}

// One in-place tile as a function of its own: inlined into one panel loop with its edge tiles, GCC spilled
// accumulators (0.71x OpenBLAS at 64³ instead of 1.0x).
template <typename S, int MR, int NV, ALayout AL, bool MaskB>
__attribute__((target("avx512f,avx512vl,fma"), noinline)) void direct_tile(
    int64_t kc, const typename S::T* a, int64_t a_step, const typename S::T* b, int64_t b_rs, typename S::T* c,
    int64_t ldc, int64_t m, int64_t n, typename S::T alpha, typename S::T beta) {
  tile<S, MR, NV, AL, MaskB>(kc, a, a_step, b, b_rs, c, ldc, m, n, alpha, beta);
}

// The rows [0, m) left below a multiple of the tile height, in tiles of R, R/2, ..., 1 rows (m < 2R), so no
// tile reads a row of A that does not exist.
template <typename S, int R, int NV, ALayout AL>
void edge_rows(int64_t kc, const typename S::T* a, int64_t a_rs, int64_t a_step, const typename S::T* b,
               int64_t b_rs, typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha,
               typename S::T beta) {
  if (m >= R) {
    direct_tile<S, R, NV, AL, true>(kc, a, a_step, b, b_rs, c, ldc, R, n, alpha, beta);
    a += R * a_rs, c += R * ldc, m -= R;
  }
  if constexpr (R > 1) edge_rows<S, R / 2, NV, AL>(kc, a, a_rs, a_step, b, b_rs, c, ldc, m, n, alpha, beta);
}

// Tile height for a panel NV vectors wide: MR·NV accumulators plus NV B vectors and a broadcast fit in 32 zmm.
constexpr int direct_mr(int nv) { return nv <= 2 ? 12 : nv == 3 ? 8 : 4; }
// The largest power of two below mr: the first edge tile.
constexpr int edge_mr(int mr) { return mr > 8 ? 8 : mr > 4 ? 4 : mr > 2 ? 2 : 1; }

// One column panel, NV vectors wide (n <= NV·L columns), all m rows, operands where they lie. Full-width
// panels load B unmasked: GCC keeps the mask of a masked load in memory and reloads it on every k.
template <typename S, int NV, ALayout AL>
void panel(int64_t kc, const typename S::T* a, int64_t a_rs, int64_t a_cs, const typename S::T* b, int64_t b_rs,
           typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha, typename S::T beta) {
  constexpr int MR = direct_mr(NV);
  const int64_t a_step = AL == ALayout::RowMajor ? a_rs : a_cs;
  const auto full = n == NV * S::kLanes ? direct_tile<S, MR, NV, AL, false> : direct_tile<S, MR, NV, AL, true>;
  int64_t i = 0;
  for (; i + MR <= m; i += MR) full(kc, a + i * a_rs, a_step, b, b_rs, c + i * ldc, ldc, MR, n, alpha, beta);
  edge_rows<S, edge_mr(MR), NV, AL>(kc, a + i * a_rs, a_rs, a_step, b, b_rs, c + i * ldc, ldc, m - i, n, alpha,
                                    beta);
}

// Operands where they lie (Ukernel::direct): one panel of ceil(n / L) vectors.
template <typename S>
void direct(int64_t kc, const typename S::T* a, int64_t a_rs, int64_t a_cs, const typename S::T* b, int64_t b_rs,
            typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha, typename S::T beta) {
  static constexpr DirectFn<typename S::T> row_major[] = {panel<S, 1, ALayout::RowMajor>, panel<S, 2, ALayout::RowMajor>,
                                                          panel<S, 3, ALayout::RowMajor>, panel<S, 4, ALayout::RowMajor>};
  static constexpr DirectFn<typename S::T> k_major[] = {panel<S, 1, ALayout::KMajor>, panel<S, 2, ALayout::KMajor>,
                                                        panel<S, 3, ALayout::KMajor>, panel<S, 4, ALayout::KMajor>};
  const int64_t nv = (n + S::kLanes - 1) / S::kLanes;
  (a_rs != 1 ? row_major : k_major)[nv - 1](kc, a, a_rs, a_cs, b, b_rs, c, ldc, m, n, alpha, beta);
}

}  // namespace

Ukernel<float> ukernel_f32_avx512() { return {12, 32, kernel<F32, 12, 2>, pack_f32_avx512, direct<F32>, 64}; }
Ukernel<double> ukernel_f64_avx512() {
  return {12, 16, kernel<F64, 12, 2>, pack_generic<double>, direct<F64>, 32};
}

// 8×48 for GEMMs whose short side is a multiple of 8 rows that 12-row tiles fill only partly (a layer's 16 or
// 64 channels); the convolution drivers choose it (conv.cc). Fields by name: any others stay zero.
Ukernel<float> ukernel_f32_avx512_8x48() {
  Ukernel<float> uk{};
  uk.mr = 8, uk.nr = 48, uk.fn = kernel<F32, 8, 3>, uk.pack = pack_f32_avx512;
  return uk;
}

}  // namespace gemm
}  // namespace tg

#else

namespace tg {
namespace gemm {
Ukernel<float> ukernel_f32_avx512() { return ukernel_f32_generic(); }
Ukernel<double> ukernel_f64_avx512() { return ukernel_f64_generic(); }
Ukernel<float> ukernel_f32_avx512_8x48() { return ukernel_f32_generic(); }
}  // namespace gemm
}  // namespace tg

#endif
