#include "kernels/copy/copy.h"

namespace tg {

template <class In, class Out>
void copy(const Shape& s, const Layout* L, const In* ip, Out* op) {
  for_each_run<2>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    const In* in = ip + o[0];
    Out* out = op + o[1];
    if (is[0] == 1 && is[1] == 1) {
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<Out>(in[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) out[i * is[1]] = static_cast<Out>(in[i * is[0]]);
    }
  });
}

template <class T>
void fill(const Shape& s, const Layout* L, T* op, double value) {
  const T v = static_cast<T>(value);
  for_each_run<1>(s, L, [&](int64_t n, const int64_t* o, const int64_t* is) {
    T* out = op + o[0];
    for (int64_t i = 0; i < n; ++i) out[i * is[0]] = v;
  });
}

template <class T>
void arange(int64_t n, T* out, double start, double step) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(start + static_cast<double>(i) * step);
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
