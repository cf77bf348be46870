// AVX2+FMA micro-kernels: 6×16 fp32 and 6×8 fp64 tiles (12 ymm accumulators, 2 B vectors, 1 broadcast), on
// packed panels or (small GEMMs, run_direct in gemm.cc) on operands read in place.
// Every function that touches ymm registers carries the target attribute itself and lives in this file's
// anonymous namespace, so no AVX2 code can leak into baseline code through a shared inline symbol.
#include "kernels/gemm/ukernel.h"

#include "runtime/cpu.h"

#ifdef TG_X86_SIMD
#include <immintrin.h>

#define TG_AVX2 __attribute__((target("avx2,fma"), always_inline)) inline

namespace tg {
namespace gemm {
namespace {

struct F32 {
  using T = float;
  using V = __m256;
  static constexpr int kLanes = 8;
  TG_AVX2 static V zero() { return _mm256_setzero_ps(); }
  TG_AVX2 static V set1(T x) { return _mm256_set1_ps(x); }
  TG_AVX2 static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  TG_AVX2 static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  TG_AVX2 static V loadu(const T* p) { return _mm256_loadu_ps(p); }
  TG_AVX2 static void storeu(T* p, V v) { _mm256_storeu_ps(p, v); }
  // Lanes [0, left) set; left may be <= 0 or >= kLanes.
  TG_AVX2 static __m256i mask(int64_t left) {
    const int l = left < 0 ? 0 : left > kLanes ? kLanes : static_cast<int>(left);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(l), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  TG_AVX2 static V maskload(const T* p, __m256i m) { return _mm256_maskload_ps(p, m); }
  TG_AVX2 static void maskstore(T* p, __m256i m, V v) { _mm256_maskstore_ps(p, m, v); }
};

struct F64 {
  using T = double;
  using V = __m256d;
  static constexpr int kLanes = 4;
  TG_AVX2 static V zero() { return _mm256_setzero_pd(); }
  TG_AVX2 static V set1(T x) { return _mm256_set1_pd(x); }
  TG_AVX2 static V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  TG_AVX2 static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  TG_AVX2 static V loadu(const T* p) { return _mm256_loadu_pd(p); }
  TG_AVX2 static void storeu(T* p, V v) { _mm256_storeu_pd(p, v); }
  TG_AVX2 static __m256i mask(int64_t left) {
    const long long l = left < 0 ? 0 : left > kLanes ? kLanes : left;
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(l), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  TG_AVX2 static V maskload(const T* p, __m256i m) { return _mm256_maskload_pd(p, m); }
  TG_AVX2 static void maskstore(T* p, __m256i m, V v) { _mm256_maskstore_pd(p, m, v); }
};

// Full-width rows use plain loads/stores (masked moves are slow on some AMD cores); edge columns use masks.
template <typename S, int NV>
TG_AVX2 void update_row(typename S::T* ci, const typename S::V* acc, int64_t n, typename S::V va,
                        typename S::V vb, bool read_c) {
  using V = typename S::V;
  constexpr int L = S::kLanes;
  for (int v = 0; v < NV; ++v) {
    V r = S::mul(va, acc[v]);
    if (n >= (v + 1) * L) {
      if (read_c) r = S::fma(vb, S::loadu(ci + v * L), r);
      S::storeu(ci + v * L, r);
    } else {
      const __m256i m = S::mask(n - v * L);
      if (read_c) r = S::fma(vb, S::maskload(ci + v * L, m), r);
      S::maskstore(ci + v * L, m, r);
    }
  }
}

// One MR×(NV·L) tile: C = alpha·(A·B) + beta·C on the m×n corner. B row k lies at b + k·b_step: NV·L values,
// all readable, or with MaskB only the first n (the last vector is read with a masked load; n > (NV-1)·L).
// A lies k-major (element (i, k) at a[k·a_step + i]: packed panels, or op(A) = Aᵀ read in place) or row-major
// (a[i·a_step + k]: op(A) = A read in place); all MR rows must be readable. Every C element is summed the same
// way (zero, then one FMA per k in order), so packed and in-place operands, and tiles of any shape, give the
// same bits.
template <typename S, int MR, int NV, ALayout AL, bool MaskB = false>
TG_AVX2 void tile(int64_t kc, const typename S::T* a, int64_t a_step, const typename S::T* b, int64_t b_step,
                  typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha, typename S::T beta) {
  using V = typename S::V;
  constexpr int L = S::kLanes;
  V acc[MR][NV];
  for (int i = 0; i < MR; ++i) {
    for (int v = 0; v < NV; ++v) acc[i][v] = S::zero();
  }
  for (int64_t i = 0; i < m; ++i) _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
  const __m256i last = S::mask(n - (NV - 1) * L);
  if constexpr (AL == ALayout::KMajor) {
#pragma GCC unroll 4
    for (int64_t k = 0; k < kc; ++k) {
      V bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = MaskB && v == NV - 1 ? S::maskload(b + v * L, last) : S::loadu(b + v * L);
      for (int i = 0; i < MR; ++i) {
        const V ai = S::set1(a[i]);
        for (int v = 0; v < NV; ++v) acc[i][v] = S::fma(ai, bv[v], acc[i][v]);
      }
      a += a_step;
      b += b_step;
    }
  } else {
    // Six rows from one base: each row address is base + {0,1,2,4}·step or base + {3,5}·step (two
    // precomputed multiples), so no per-row pointer registers (AVX2 has only 16 vector and 16 general ones).
    static_assert(MR <= 6, "row-major A reads at most six rows");
    const int64_t s3 = 3 * a_step, s5 = 5 * a_step;
    for (int64_t k = 0; k < kc; ++k) {
      V bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = MaskB && v == NV - 1 ? S::maskload(b + v * L, last) : S::loadu(b + v * L);
      for (int i = 0; i < MR; ++i) {
        const int64_t off = i == 3 ? s3 : i == 5 ? s5 : i * a_step;
        const V ai = S::set1(a[off]);
        for (int v = 0; v < NV; ++v) acc[i][v] = S::fma(ai, bv[v], acc[i][v]);
      }
      ++a;
      b += b_step;
    }
  }
  const V va = S::set1(alpha);
  const V vb = S::set1(beta);
  for (int i = 0; i < MR && i < m; ++i) update_row<S, NV>(c + i * ldc, acc[i], n, va, vb, beta != 0);
}

// Packed panels (Ukernel::fn).
template <typename S, int MR, int NV>
__attribute__((target("avx2,fma"))) void kernel(int64_t kc, const typename S::T* a, const typename S::T* b,
                                                typename S::T* c, int64_t ldc, int64_t m, int64_t n,
                                                typename S::T alpha, typename S::T beta) {
  tile<S, MR, NV, ALayout::KMajor>(kc, a, MR, b, NV * S::kLanes, c, ldc, m, n, alpha, beta);
}

// The rows [0, m) left below a multiple of the tile height, in tiles of R, R/2, ..., 1 rows (m < 2R), so no
// tile reads a row of A that does not exist.
template <typename S, int R, int NV, ALayout AL, bool MaskB>
TG_AVX2 void edge_rows(int64_t kc, const typename S::T* a, int64_t a_rs, int64_t a_step, const typename S::T* b,
                       int64_t b_rs, typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha,
                       typename S::T beta) {
  if (m >= R) {
    tile<S, R, NV, AL, MaskB>(kc, a, a_step, b, b_rs, c, ldc, R, n, alpha, beta);
    a += R * a_rs, c += R * ldc, m -= R;
  }
  if constexpr (R > 1) edge_rows<S, R / 2, NV, AL, MaskB>(kc, a, a_rs, a_step, b, b_rs, c, ldc, m, n, alpha, beta);
}

// One column panel, NV vectors wide (n <= NV·L columns; the last vector masked unless full), all m rows in
// 6-row tiles and then 4, 2 and 1, operands where they lie.
template <typename S, int NV, ALayout AL, bool MaskB>
__attribute__((target("avx2,fma"))) void panel(int64_t kc, const typename S::T* a, int64_t a_rs, int64_t a_cs,
                                               const typename S::T* b, int64_t b_rs, typename S::T* c, int64_t ldc,
                                               int64_t m, int64_t n, typename S::T alpha, typename S::T beta) {
  constexpr int MR = 6;
  const int64_t a_step = AL == ALayout::RowMajor ? a_rs : a_cs;
  int64_t i = 0;
  for (; i + MR <= m; i += MR) {
    tile<S, MR, NV, AL, MaskB>(kc, a + i * a_rs, a_step, b, b_rs, c + i * ldc, ldc, MR, n, alpha, beta);
  }
  edge_rows<S, 4, NV, AL, MaskB>(kc, a + i * a_rs, a_rs, a_step, b, b_rs, c + i * ldc, ldc, m - i, n, alpha, beta);
}

// Operands where they lie (Ukernel::direct): one panel of ceil(n / L) vectors (direct_nr = 2 vectors).
template <typename S, ALayout AL>
void direct_layout(int64_t kc, const typename S::T* a, int64_t a_rs, int64_t a_cs, const typename S::T* b,
                   int64_t b_rs, typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha,
                   typename S::T beta) {
  constexpr int L = S::kLanes;
  const auto fn = n > L ? (n == 2 * L ? panel<S, 2, AL, false> : panel<S, 2, AL, true>)
                        : (n == L ? panel<S, 1, AL, false> : panel<S, 1, AL, true>);
  fn(kc, a, a_rs, a_cs, b, b_rs, c, ldc, m, n, alpha, beta);
}

template <typename S>
void direct(int64_t kc, const typename S::T* a, int64_t a_rs, int64_t a_cs, const typename S::T* b, int64_t b_rs,
            typename S::T* c, int64_t ldc, int64_t m, int64_t n, typename S::T alpha, typename S::T beta) {
  const auto fn = a_rs != 1 ? direct_layout<S, ALayout::RowMajor> : direct_layout<S, ALayout::KMajor>;
  fn(kc, a, a_rs, a_cs, b, b_rs, c, ldc, m, n, alpha, beta);
}

}  // namespace

Ukernel<float> ukernel_f32_avx2() { return {6, 16, kernel<F32, 6, 2>, pack_generic<float>, direct<F32>, 16}; }
Ukernel<double> ukernel_f64_avx2() { return {6, 8, kernel<F64, 6, 2>, pack_generic<double>, direct<F64>, 8}; }

}  // namespace gemm
}  // namespace tg

#else

namespace tg {
namespace gemm {
Ukernel<float> ukernel_f32_avx2() { return ukernel_f32_generic(); }
Ukernel<double> ukernel_f64_avx2() { return ukernel_f64_generic(); }
}  // namespace gemm
}  // namespace tg

#endif
