#include "kernels/copy/copy.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace tg {

namespace {

// A float converted to int32 truncates toward zero, as PyTorch does; a value with no int32 result
// (NaN, ±inf, out of range) is an error instead of C++'s undefined behaviour.
template <class Out, class In>
Out convert(In v) {
  if constexpr (std::is_integral_v<Out> && !std::is_integral_v<In>) {
    // Compared as doubles: in float, -2147483649 rounds to -2^31, which would refuse -2^31 itself.
    const double d = static_cast<double>(v);
    if (!(d > -2147483649.0 && d < 2147483648.0)) throw_unrepresentable(d);
  }
  return static_cast<Out>(v);
}

}  // namespace

void throw_unrepresentable(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Spelled as JS prints them: the message reaches a JS user.
  const char* shown = std::isnan(v) ? "NaN" : std::isinf(v) ? (v > 0 ? "Infinity" : "-Infinity") : buf;
  throw std::range_error(std::string("the value ") + shown + " has no int32 equivalent (int32 holds -2147483648..2147483647)");
}

// Every value a float → int32 copy reads has an int32 result, checked before anything is written: a copy_ that
// throws leaves its destination as it was (a half-written int32 index tensor saved for backward would otherwise
// give wrong gradients without a version change).
template <class In>
void check_representable(const Shape& s, const Layout* L, const In* ip) {
  for_each_run<2>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    const In* in = ip + o[0];
    for (int64_t i = 0; i < n; ++i) (void)convert<int32_t>(in[i * is[0]]);
  });
}

template <class In, class Out>
void copy(const Shape& s, const Layout* L, const In* ip, Out* op) {
  if constexpr (std::is_integral_v<Out> && !std::is_integral_v<In>) check_representable(s, L, ip);
  for_each_run<2>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    const In* in = ip + o[0];
    Out* out = op + o[1];
    if (is[0] == 1 && is[1] == 1) {
      for (int64_t i = 0; i < n; ++i) out[i] = convert<Out>(in[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) out[i * is[1]] = convert<Out>(in[i * is[0]]);
    }
  });
}

template <class T>
void fill(const Shape& s, const Layout* L, T* op, double value) {
  const T v = convert<T>(value);
  for_each_run<1>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    T* out = op + o[0];
    for (int64_t i = 0; i < n; ++i) out[i * is[0]] = v;
  });
}

template <class T>
void arange(int64_t n, T* out, double start, double step) {
  for (int64_t i = 0; i < n; ++i) out[i] = convert<T>(start + static_cast<double>(i) * step);
}

#define TG_COPY_FROM(In)                                                            \
  template void copy<In, float>(const Shape&, const Layout*, const In*, float*);    \
  template void copy<In, double>(const Shape&, const Layout*, const In*, double*);  \
  template void copy<In, int32_t>(const Shape&, const Layout*, const In*, int32_t*);
TG_COPY_FROM(float)
TG_COPY_FROM(double)
TG_COPY_FROM(int32_t)
#undef TG_COPY_FROM

#define TG_FILLS(T)                                                         \
  template void fill<T>(const Shape&, const Layout*, T*, double);           \
  template void arange<T>(int64_t, T*, double, double);
TG_FILLS(float)
TG_FILLS(double)
TG_FILLS(int32_t)
#undef TG_FILLS

}  // namespace tg
