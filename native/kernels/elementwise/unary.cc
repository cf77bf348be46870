#include "kernels/elementwise/unary.h"

#include <stdexcept>

#include "runtime/dtype.h"

#include "kernels/elementwise/transcendental_simd.h"

namespace tg {

const char* const kUnaryOpNames[] = {
#define TG_NAME(name, fwd, bwd, reads) #name,
    TG_UNARY_OPS(TG_NAME)
#undef TG_NAME
};
const int kUnaryOpReads[] = {
#define TG_READS(name, fwd, bwd, reads) kReads##reads,
    TG_UNARY_OPS(TG_READS)
#undef TG_READS
};

namespace {

template <class T>
using Run = void (*)(const T* x, T* out, int64_t n);

// A vectorised loop for unit-stride runs of op, or nullptr: exp, tanh and sigmoid on float32 have one.
template <class T>
Run<T> vector_run(UnaryOp) {
  return nullptr;
}

template <>
Run<float> vector_run<float>(UnaryOp op) {
  switch (op) {
    case UnaryOp::exp: return transcendental_run(Transcendental::exp);
    case UnaryOp::tanh: return transcendental_run(Transcendental::tanh);
    case UnaryOp::sigmoid: return transcendental_run(Transcendental::sigmoid);
    default: return nullptr;
  }
}

template <class T, class F>
void map1(const Shape& s, const Layout* L, const T* xp, T* op, F f, Run<T> vec) {
  for_each_run<2>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    const T* x = xp + o[0];
    T* out = op + o[1];
    if (is[0] == 1 && is[1] == 1 && vec != nullptr) {
      vec(x, out, n);
    } else if (is[0] == 1 && is[1] == 1) {
      for (int64_t i = 0; i < n; ++i) out[i] = f(x[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) out[i * is[1]] = f(x[i * is[0]]);
    }
  });
}

template <class T, class F>
void map3(const Shape& s, const Layout* L, const T* xp, const T* yp, const T* gp, T* op, F f) {
  for_each_run<4>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    const T *x = xp + o[0], *y = yp + o[1], *g = gp + o[2];
    T* out = op + o[3];
    if (is[0] == 1 && is[1] == 1 && is[2] == 1 && is[3] == 1) {
      for (int64_t i = 0; i < n; ++i) out[i] = f(x[i], y[i], g[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) out[i * is[3]] = f(x[i * is[0]], y[i * is[1]], g[i * is[2]]);
    }
  });
}

}  // namespace

template <class T>
void unary(UnaryOp op, const Shape& s, const Layout* L, const T* x, T* out, double da, double db) {
  const Wide<T> a = Wide<T>(da), b = Wide<T>(db);
  (void)b;
  const Run<T> vec = vector_run<T>(op);
  switch (op) {
#define TG_CASE(name, fwd, bwd, reads) \
  case UnaryOp::name:                  \
    return map1(s, L, x, out, [a, b](T x0) -> T { const Wide<T> x = x0; return T(fwd); }, vec);
    TG_UNARY_OPS(TG_CASE)
#undef TG_CASE
    case UnaryOp::count: break;
  }
  throw std::invalid_argument("unary: unknown op");
}

template <class T>
void unary_backward(UnaryOp op, const Shape& s, const Layout* L, const T* x, const T* y, const T* g, T* out,
                    double da, double db) {
  const T a = T(da), b = T(db);
  switch (op) {
// Only the operands a rule declares are named inside it.
#define TG_PARAMS_NONE (T, T, T g)
#define TG_PARAMS_IN (T x, T, T g)
#define TG_PARAMS_OUT (T, T y, T g)
#define TG_PARAMS_INOUT (T x, T y, T g)
#define TG_CASE(name, fwd, bwd, reads) \
  case UnaryOp::name:                  \
    return map3(s, L, x, y, g, out, [a, b] TG_PARAMS_##reads -> T { return bwd; });
    TG_UNARY_OPS(TG_CASE)
#undef TG_CASE
    case UnaryOp::count: break;
  }
  throw std::invalid_argument("unary backward: unknown op");
}

template void unary<float>(UnaryOp, const Shape&, const Layout*, const float*, float*, double, double);
template void unary<double>(UnaryOp, const Shape&, const Layout*, const double*, double*, double, double);
template void unary<int32_t>(UnaryOp, const Shape&, const Layout*, const int32_t*, int32_t*, double, double);
template void unary_backward<float>(UnaryOp, const Shape&, const Layout*, const float*, const float*, const float*,
                                    float*, double, double);
template void unary_backward<double>(UnaryOp, const Shape&, const Layout*, const double*, const double*,
                                     const double*, double*, double, double);

}  // namespace tg
