#include "kernels/index/gather.h"

namespace tg {

template <class T>
void index_select(IndexDims d, const T* x, const int32_t* idx, T* out) {
  for (int64_t o = 0; o < d.outer; ++o)
    for (int64_t j = 0; j < d.n; ++j) {
      const T* src = x + (o * d.D + idx[j]) * d.inner;
      T* dst = out + (o * d.n + j) * d.inner;
      for (int64_t i = 0; i < d.inner; ++i) dst[i] = src[i];
    }
}

template <class T>
void index_add(IndexDims d, const T* g, const int32_t* idx, T* gx) {
  for (int64_t o = 0; o < d.outer; ++o)
    for (int64_t j = 0; j < d.n; ++j) {
      const T* src = g + (o * d.n + j) * d.inner;
      T* dst = gx + (o * d.D + idx[j]) * d.inner;
      for (int64_t i = 0; i < d.inner; ++i) dst[i] += src[i];
    }
}

template <class T>
void gather(IndexDims d, const T* x, const int32_t* idx, T* out) {
  for (int64_t o = 0; o < d.outer; ++o)
    for (int64_t j = 0; j < d.n; ++j) {
      const int64_t r = (o * d.n + j) * d.inner;
      for (int64_t i = 0; i < d.inner; ++i) out[r + i] = x[(o * d.D + idx[r + i]) * d.inner + i];
    }
}

template <class T>
void scatter_add(IndexDims d, const T* g, const int32_t* idx, T* gx) {
  for (int64_t o = 0; o < d.outer; ++o)
    for (int64_t j = 0; j < d.n; ++j) {
      const int64_t r = (o * d.n + j) * d.inner;
      for (int64_t i = 0; i < d.inner; ++i) gx[(o * d.D + idx[r + i]) * d.inner + i] += g[r + i];
    }
}

#define TG_INSTANTIATE(T)                                                     \
  template void index_select<T>(IndexDims, const T*, const int32_t*, T*);     \
  template void index_add<T>(IndexDims, const T*, const int32_t*, T*);        \
  template void gather<T>(IndexDims, const T*, const int32_t*, T*);           \
  template void scatter_add<T>(IndexDims, const T*, const int32_t*, T*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
TG_INSTANTIATE(int32_t)
#undef TG_INSTANTIATE

}  // namespace tg
