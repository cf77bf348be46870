#include "kernels/sort/sort.h"

#include <algorithm>
#include <vector>

namespace tg {

template <class T>
void sort_lines(const Lines& d, int64_t k, bool descending, const T* x, T* vals, int32_t* idx) {
  for_each_line(d, [&](int64_t l, int64_t base, int64_t st) {
    thread_local std::vector<int32_t> pos;  // each thread sorts positions in its own scratch
    pos.resize(static_cast<size_t>(d.D));
    for (int64_t j = 0; j < d.D; ++j) pos[j] = int32_t(j);
    const T* xl = x + base;
    // a before b: a is smaller (larger) with NaN largest, or they are equal and a came first.
    auto before = [&](int32_t a, int32_t b) {
      const T va = xl[a * st], vb = xl[b * st];
      const bool na = va != va, nb = vb != vb;
      if (na || nb) return na != nb ? (descending ? na : nb) : a < b;
      if (va != vb) return descending ? va > vb : va < vb;
      return a < b;
    };
    if (k < d.D) std::partial_sort(pos.begin(), pos.begin() + k, pos.end(), before);
    else std::sort(pos.begin(), pos.end(), before);
    const int64_t ob = (l / d.inner) * k * d.inner + l % d.inner;
    for (int64_t j = 0; j < k; ++j) {
      if (vals) vals[ob + j * d.inner] = xl[pos[j] * st];
      if (idx) idx[ob + j * d.inner] = pos[j];
    }
  });
}

template void sort_lines<float>(const Lines&, int64_t, bool, const float*, float*, int32_t*);
template void sort_lines<double>(const Lines&, int64_t, bool, const double*, double*, int32_t*);
template void sort_lines<int32_t>(const Lines&, int64_t, bool, const int32_t*, int32_t*, int32_t*);

}  // namespace tg
