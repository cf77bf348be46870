#include "kernels/index/nonzero.h"

#include <vector>

namespace tg {

template <class T>
int64_t count_nonzero(int64_t n, const T* x) {
  int64_t k = 0;
  for (int64_t i = 0; i < n; ++i) k += x[i] != T(0);
  return k;
}

// The multi-index advances like an odometer beside the flat position, so no division per element.
template <class T>
void nonzero_indices(int nd, const int32_t* dims, int64_t n, const T* x, int32_t* out) {
  std::vector<int32_t> idx(nd, 0);
  for (int64_t i = 0; i < n; ++i) {
    if (x[i] != T(0))
      for (int d = 0; d < nd; ++d) *out++ = idx[d];
    for (int d = nd - 1; d >= 0 && ++idx[d] == dims[d]; --d) idx[d] = 0;
  }
}

#define TG_INSTANTIATE(T)                                   \
  template int64_t count_nonzero<T>(int64_t, const T*);    \
  template void nonzero_indices<T>(int, const int32_t*, int64_t, const T*, int32_t*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
TG_INSTANTIATE(int32_t)
#undef TG_INSTANTIATE

}  // namespace tg
