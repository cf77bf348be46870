#include "kernels/elementwise/binary.h"

#include <cmath>
#include <stdexcept>

#include "kernels/elementwise/unary.h"
#include "runtime/dtype.h"

namespace tg {

const char* const kBinaryOpNames[] = {
#define TG_NAME(name, fwd, da, db, ra, rb) #name,
    TG_BINARY_OPS(TG_NAME)
#undef TG_NAME
};
const int kBinaryOpReads[][2] = {
#define TG_READS(name, fwd, da, db, ra, rb) {kBReads##ra, kBReads##rb},
    TG_BINARY_OPS(TG_READS)
#undef TG_READS
};
const char* const kCompareOpNames[] = {
#define TG_NAME(name, expr) #name,
    TG_COMPARE_OPS(TG_NAME)
#undef TG_NAME
};

namespace {

template <class A, class B, class O, class F>
void map2(const Shape& s, const Layout* L, const A* ap, const B* bp, O* op, F f) {
  for_each_run<3>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    const A* a = ap + o[0];
    const B* b = bp + o[1];
    O* out = op + o[2];
    if (is[0] == 1 && is[1] == 1 && is[2] == 1) {
      for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
    } else if (is[0] == 1 && is[1] == 0 && is[2] == 1) {
      const B bv = *b;
      for (int64_t i = 0; i < n; ++i) out[i] = f(a[i], bv);
    } else {
      for (int64_t i = 0; i < n; ++i) out[i * is[2]] = f(a[i * is[0]], b[i * is[1]]);
    }
  });
}

}  // namespace

template <class T>
void binary(BinaryOp op, const Shape& s, const Layout* L, const T* a, const T* b, T* out) {
  switch (op) {
#define TG_CASE(name, fwd, da, db, ra, rb) \
  case BinaryOp::name:                     \
    return map2(s, L, a, b, out, [](T a0, T b0) -> T { const Wide<T> a = a0, b = b0; return T(fwd); });
    TG_BINARY_OPS(TG_CASE)
#undef TG_CASE
    case BinaryOp::count: break;
  }
  throw std::invalid_argument("binary: unknown op");
}

template <class T>
void compare(CompareOp op, const Shape& s, const Layout* L, const T* a, const T* b, int32_t* out) {
  switch (op) {
#define TG_CASE(name, expr) \
  case CompareOp::name:     \
    return map2(s, L, a, b, out, [](T a, T b) -> int32_t { return (expr) ? 1 : 0; });
    TG_COMPARE_OPS(TG_CASE)
#undef TG_CASE
    case CompareOp::count: break;
  }
  throw std::invalid_argument("compare: unknown op");
}

template <class T>
void binary_backward(BinaryOp op, const Shape& s, const Layout* L, const T* ap, const T* bp, const T* gp, T* gap,
                     T* gbp) {
  auto run = [&](auto fa, auto fb) {
    for_each_run<5>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
      const T *a = ap + o[0], *b = bp + o[1], *g = gp + o[2];
      T *ga = gap + o[3], *gb = gbp + o[4];
      for (int64_t i = 0; i < n; ++i) {
        const T av = a[i * is[0]], bv = b[i * is[1]], gv = g[i * is[2]];
        ga[i * is[3]] = fa(av, bv, gv);
        gb[i * is[4]] = fb(av, bv, gv);
      }
    });
  };
  switch (op) {
// Only the operands a rule declares are named inside it.
#define TG_PARAMS_NONE (T, T, T g)
#define TG_PARAMS_A (T a, T, T g)
#define TG_PARAMS_B (T, T b, T g)
#define TG_PARAMS_AB (T a, T b, T g)
#define TG_CASE(name, fwd, da, db, ra, rb)          \
  case BinaryOp::name:                              \
    return run([] TG_PARAMS_##ra -> T { return da; }, \
               [] TG_PARAMS_##rb -> T { return db; });
    TG_BINARY_OPS(TG_CASE)
#undef TG_CASE
    case BinaryOp::count: break;
  }
  throw std::invalid_argument("binary backward: unknown op");
}

template <class T>
void where(const Shape& s, const Layout* L, const int32_t* cp, const T* ap, const T* bp, T* op) {
  for_each_run<4>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    const int32_t* c = cp + o[0];
    const T *a = ap + o[1], *b = bp + o[2];
    T* out = op + o[3];
    for (int64_t i = 0; i < n; ++i) out[i * is[3]] = c[i * is[0]] ? a[i * is[1]] : b[i * is[2]];
  });
}

#define TG_INSTANTIATE(T)                                                                                \
  template void binary<T>(BinaryOp, const Shape&, const Layout*, const T*, const T*, T*);                \
  template void compare<T>(CompareOp, const Shape&, const Layout*, const T*, const T*, int32_t*);        \
  template void where<T>(const Shape&, const Layout*, const int32_t*, const T*, const T*, T*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
TG_INSTANTIATE(int32_t)
#undef TG_INSTANTIATE
// Gradients exist for float types only.
template void binary_backward<float>(BinaryOp, const Shape&, const Layout*, const float*, const float*, const float*,
                                     float*, float*);
template void binary_backward<double>(BinaryOp, const Shape&, const Layout*, const double*, const double*,
                                      const double*, double*, double*);

}  // namespace tg
