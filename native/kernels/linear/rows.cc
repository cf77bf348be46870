#include "kernels/linear/rows.h"

#include <algorithm>

#include "kernels/elementwise/relu_grad.h"
#include "runtime/cpu.h"

// The loops are written once (always inlined) and instantiated in functions that carry a target
// attribute, where the compiler vectorises them for that ISA: the baseline build runs them on SSE2,
// at a quarter of AVX-512's width (the backward pass's float→double sums most of all).
#if defined(__GNUC__)
#define TG_INLINE __attribute__((always_inline)) inline
#else
#define TG_INLINE inline
#endif
#ifdef TG_X86_SIMD
#define TG_AVX2 __attribute__((target("avx2,fma")))
#define TG_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma")))
#endif

namespace tg {
namespace {

template <class T>
TG_INLINE void bias_relu_body(T* __restrict out, int64_t ld, const T* __restrict b, int64_t N, int64_t r0, int64_t r1,
                              bool relu) {
  for (int64_t r = r0; r < r1; ++r) {
    T* __restrict o = out + r * ld;
    if (b != nullptr && relu) {
      for (int64_t j = 0; j < N; ++j) {
        const T v = o[j] + b[j];
        o[j] = v < 0 ? T(0) : v;
      }
    } else if (b != nullptr) {
      for (int64_t j = 0; j < N; ++j) o[j] = o[j] + b[j];
    } else if (relu) {
      for (int64_t j = 0; j < N; ++j) o[j] = o[j] < 0 ? T(0) : o[j];
    }
  }
}

// Columns in blocks of kCols whose double sums stay in registers over all rows; each column is summed
// in row order. (Sums kept in a stack array were 10x slower at N = 512: with rows 2 KiB apart, the
// loads of the array falsely aliased the stores to gp, 4 KiB apart.)
template <class T, int64_t kCols>
TG_INLINE void relu_bias_backward_block(const T* __restrict y, const T* __restrict g, T* __restrict gp,
                                        T* __restrict db, int64_t M, int64_t N, int64_t c0, int64_t w) {
  double acc[kCols] = {};
  for (int64_t r = 0; r < M; ++r) {
    const T* __restrict yr = y + r * N + c0;
    const T* __restrict gr = g + r * N + c0;
    T* __restrict out = gp + r * N + c0;
    for (int64_t j = 0; j < (kCols > 1 ? kCols : w); ++j) {
      const T v = relu_grad(yr[j], gr[j]);
      out[j] = v;
      acc[kCols > 1 ? j : 0] += static_cast<double>(v);
    }
  }
  if (db != nullptr)
    for (int64_t j = 0; j < (kCols > 1 ? kCols : 1); ++j) db[c0 + j] = static_cast<T>(acc[j]);
}

template <class T>
TG_INLINE void relu_bias_backward_body(const T* __restrict y, const T* __restrict g, T* __restrict gp,
                                       T* __restrict db, int64_t M, int64_t N, int64_t j0, int64_t j1) {
  constexpr int64_t kCols = 64 / sizeof(T) * 2;  // two vectors of T: four of double
  int64_t c0 = j0;
  for (; c0 + kCols <= j1; c0 += kCols) relu_bias_backward_block<T, kCols>(y, g, gp, db, M, N, c0, kCols);
  for (; c0 < j1; ++c0) relu_bias_backward_block<T, 1>(y, g, gp, db, M, N, c0, 1);
}

#define TG_DEFINE_PATH(ATTR, SUFFIX)                                                                            \
  template <class T>                                                                                            \
  ATTR void bias_relu_##SUFFIX(T* out, int64_t ld, const T* b, int64_t N, int64_t r0, int64_t r1, bool relu) {   \
    bias_relu_body(out, ld, b, N, r0, r1, relu);                                                                \
  }                                                                                                             \
  template <class T>                                                                                            \
  ATTR void relu_bias_backward_##SUFFIX(const T* y, const T* g, T* gp, T* db, int64_t M, int64_t N, int64_t j0, \
                                        int64_t j1) {                                                           \
    relu_bias_backward_body(y, g, gp, db, M, N, j0, j1);                                                        \
  }

TG_DEFINE_PATH(, baseline)
#ifdef TG_X86_SIMD
TG_DEFINE_PATH(TG_AVX2, avx2)
TG_DEFINE_PATH(TG_AVX512, avx512)
#endif

}  // namespace

template <class T>
void bias_relu_rows(T* out, int64_t ld, const T* b, int64_t N, int64_t r0, int64_t r1, bool relu) {
#ifdef TG_X86_SIMD
  switch (cpu_isa()) {
    case Isa::Avx512: return bias_relu_avx512(out, ld, b, N, r0, r1, relu);
    case Isa::Avx2: return bias_relu_avx2(out, ld, b, N, r0, r1, relu);
    default: break;
  }
#endif
  bias_relu_baseline(out, ld, b, N, r0, r1, relu);
}

template <class T>
void relu_bias_backward_cols(const T* y, const T* g, T* gp, T* db, int64_t M, int64_t N, int64_t j0, int64_t j1) {
#ifdef TG_X86_SIMD
  switch (cpu_isa()) {
    case Isa::Avx512: return relu_bias_backward_avx512(y, g, gp, db, M, N, j0, j1);
    case Isa::Avx2: return relu_bias_backward_avx2(y, g, gp, db, M, N, j0, j1);
    default: break;
  }
#endif
  relu_bias_backward_baseline(y, g, gp, db, M, N, j0, j1);
}

template void bias_relu_rows<float>(float*, int64_t, const float*, int64_t, int64_t, int64_t, bool);
template void bias_relu_rows<double>(double*, int64_t, const double*, int64_t, int64_t, int64_t, bool);
template void relu_bias_backward_cols<float>(const float*, const float*, float*, float*, int64_t, int64_t, int64_t,
                                             int64_t);
template void relu_bias_backward_cols<double>(const double*, const double*, double*, double*, int64_t, int64_t,
                                              int64_t, int64_t);

}  // namespace tg
