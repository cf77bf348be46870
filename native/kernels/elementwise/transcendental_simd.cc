// exp, tanh and sigmoid on 8 or 16 float32 lanes. The math is written once on GCC vector types and
// instantiated inside functions that carry the AVX2 or AVX-512 target attribute; the helpers are always
// inlined into those, so no vector code is emitted for the baseline target.
//
// exp(x):  x = n ln2 + r with |r| <= ln2/2 (ln2 split so n*ln2_hi is exact), e^r = 1 + r + r^2 Q(r) with a
//          degree-4 Q fitted for relative error (3.8e-9), then times 2^n applied as 2^(n/2) * 2^(n - n/2):
//          both factors are normal floats, so only the last multiply rounds, also into subnormals and inf.
// tanh(x): odd polynomial x + x^3 P(x^2) below |x| = 0.625 (fit error 2.5e-9), else 1 - 2/(e^(2|x|) + 1),
//          sign restored from x (so tanh(-0) = -0).
// sigmoid: with e = e^(-|x|) <= 1: 1/(1+e) for x >= 0, e/(1+e) below, which never overflows and keeps the
//          subnormal results for x < -87 that 1/(1+e^(-x)) would flush to 0.
// Measured over every float32 with 1e-9 <= |x| <= 128 (and a sample of the rest) against double: at most
// about 1 ulp for exp, 1.3 for tanh and 2 for sigmoid.
#include "kernels/elementwise/transcendental_simd.h"

#include "runtime/cpu.h"

#ifdef TG_X86_SIMD
#include <cstdint>
#include <cstring>

// Helpers work in place on a reference: a vector passed by value to a function without the target attribute
// would draw GCC's -Wpsabi note, although every helper is always inlined into an attributed kernel.
#define TG_INLINE __attribute__((always_inline)) inline
#define TG_AVX2 __attribute__((target("avx2,fma")))
#define TG_AVX512 __attribute__((target("avx512f,avx512dq,avx2,fma")))

namespace tg {
namespace {

typedef float F8 __attribute__((vector_size(32)));
typedef int32_t I8 __attribute__((vector_size(32)));
typedef float F16 __attribute__((vector_size(64)));
typedef int32_t I16 __attribute__((vector_size(64)));

// Casts between vector types of one size reinterpret the bits; mixing a vector with a scalar broadcasts it.
template <class F>
struct IntOf;
template <>
struct IntOf<F8> {
  using type = I8;
};
template <>
struct IntOf<F16> {
  using type = I16;
};

// x = e^x for x in [-104, 89] (beyond that the float32 result is 0 or inf); x is not NaN.
template <class F>
TG_INLINE void exp_in_range(F& x) {
  using I = typename IntOf<F>::type;
  const F magic = F{} + 12582912.0f;  // 1.5 * 2^23: adding and subtracting it rounds to an integer
  const F n = (x * 1.44269504f + magic) - magic;
  const F r = (x - n * 0.693145751953125f) - n * 1.428606765330187e-06f;
  F q = F{} + 0.0013751407f;
  q = q * r + 0.008368916f;
  q = q * r + 0.041669533f;
  q = q * r + 0.16666518f;
  q = q * r + 0.49999988f;
  const F p = (r + r * r * q) + 1.0f;
  const I k = __builtin_convertvector(n, I);  // in [-150, 128]
  const I k1 = k >> 1, k2 = k - k1;           // both in [-75, 64]: 2^k1 and 2^k2 are normal
  x = p * (F)((k1 + 127) << 23) * (F)((k2 + 127) << 23);
}

template <class F>
TG_INLINE void exp_core(F& x) {
  F e = x < 89.0f ? x : F{} + 89.0f;  // also maps NaN to 89; restored below
  e = e > -104.0f ? e : F{} + -104.0f;
  exp_in_range(e);
  x = x == x ? e : x + x;
}

template <class F>
TG_INLINE void tanh_core(F& x) {
  using I = typename IntOf<F>::type;
  const I sign = (I)x & INT32_MIN;
  const F a = (F)((I)x & INT32_MAX);
  const F a2 = a * a;
  F p = F{} + 0.002148984f;
  p = p * a2 - 0.008184662f;
  p = p * a2 + 0.021703999f;
  p = p * a2 - 0.053947452f;
  p = p * a2 + 0.13333212f;
  p = p * a2 - 0.33333331f;
  const F small = a + a * a2 * p;
  F e = a < 10.0f ? a + a : F{} + 20.0f;  // tanh is 1.0f from 9.01 on; also maps NaN to 20
  exp_in_range(e);
  const F big = 1.0f - 2.0f / (e + 1.0f);
  const F t = a < 0.625f ? small : big;
  x = x == x ? (F)((I)t | sign) : x + x;
}

// 1 + e is split into hi + lo exactly (Fast2Sum, e <= 1), and the quotient corrected for lo: this removes the
// rounding of the sum, which would otherwise add up to 1 ulp to e/(1+e).
template <class F>
TG_INLINE void sigmoid_core(F& x) {
  using I = typename IntOf<F>::type;
  F e = -(F)((I)x & INT32_MAX);
  exp_core(e);
  const F hi = e + 1.0f;
  const F lo = e - (hi - 1.0f);
  const F num = x >= 0.0f ? F{} + 1.0f : e;  // NaN: e is NaN, so the result is too
  const F q = num / hi;
  x = q - q * lo / hi;
}

// Whole vectors straight from memory; the tail goes through a zero-padded vector.
template <class F, void (*Core)(F&)>
TG_INLINE void map(const float* x, float* out, int64_t n) {
  constexpr int64_t kLanes = sizeof(F) / sizeof(float);
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    F v;
    std::memcpy(&v, x + i, sizeof(F));
    Core(v);
    std::memcpy(out + i, &v, sizeof(F));
  }
  if (i == n) return;
  F v = {};
  std::memcpy(&v, x + i, (n - i) * sizeof(float));
  Core(v);
  std::memcpy(out + i, &v, (n - i) * sizeof(float));
}

TG_AVX2 void exp_avx2(const float* x, float* out, int64_t n) { map<F8, exp_core<F8>>(x, out, n); }
TG_AVX2 void tanh_avx2(const float* x, float* out, int64_t n) { map<F8, tanh_core<F8>>(x, out, n); }
TG_AVX2 void sigmoid_avx2(const float* x, float* out, int64_t n) { map<F8, sigmoid_core<F8>>(x, out, n); }
TG_AVX512 void exp_avx512(const float* x, float* out, int64_t n) { map<F16, exp_core<F16>>(x, out, n); }
TG_AVX512 void tanh_avx512(const float* x, float* out, int64_t n) { map<F16, tanh_core<F16>>(x, out, n); }
TG_AVX512 void sigmoid_avx512(const float* x, float* out, int64_t n) { map<F16, sigmoid_core<F16>>(x, out, n); }

}  // namespace

FloatRun transcendental_run(Transcendental f) {
  const Isa isa = cpu_isa();
  if (isa == Isa::Scalar) return nullptr;
  const bool wide = isa == Isa::Avx512;
  switch (f) {
    case Transcendental::exp: return wide ? exp_avx512 : exp_avx2;
    case Transcendental::tanh: return wide ? tanh_avx512 : tanh_avx2;
    case Transcendental::sigmoid: return wide ? sigmoid_avx512 : sigmoid_avx2;
  }
  return nullptr;
}

}  // namespace tg

#else

namespace tg {

FloatRun transcendental_run(Transcendental) { return nullptr; }

}  // namespace tg

#endif
