#include "kernels/sort/sort.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace tg {

// Lines up to this many elements reuse their thread's scratch from call to call.
constexpr size_t kKeptScratch = size_t(1) << 16;

template <class T>
void sort_lines(const Lines& d, int64_t k, bool descending, const T* x, T* vals, int32_t* idx) {
  using Item = std::pair<T, int32_t>;  // (value, position): sorted in one contiguous buffer
  // a before b: a is smaller (larger) with NaN largest, or they are equal and a came first.
  auto before = [descending](const Item& a, const Item& b) {
    const bool na = a.first != a.first, nb = b.first != b.first;
    if (na || nb) return na != nb ? (descending ? na : nb) : a.second < b.second;
    if (a.first != b.first) return descending ? a.first > b.first : a.first < b.first;
    return a.second < b.second;
  };
  for_each_line(d, [&](int64_t l, int64_t base, int64_t st) {
    thread_local std::vector<Item> line;  // each thread sorts in its own scratch
    line.resize(static_cast<size_t>(d.D));
    for (int64_t j = 0; j < d.D; ++j) line[j] = {x[base + j * st], int32_t(j)};
    if (k < d.D) std::partial_sort(line.begin(), line.begin() + k, line.end(), before);
    else std::sort(line.begin(), line.end(), before);
    const int64_t ob = (l / d.inner) * k * d.inner + l % d.inner;
    for (int64_t j = 0; j < k; ++j) {
      if (vals) vals[ob + j * d.inner] = line[j].first;
      if (idx) idx[ob + j * d.inner] = line[j].second;
    }
    // Pool threads live for the process: a scratch kept for one huge line would stay allocated.
    if (line.capacity() > kKeptScratch) std::vector<Item>().swap(line);
  });
}

template void sort_lines<float>(const Lines&, int64_t, bool, const float*, float*, int32_t*);
template void sort_lines<double>(const Lines&, int64_t, bool, const double*, double*, int32_t*);
template void sort_lines<int32_t>(const Lines&, int64_t, bool, const int32_t*, int32_t*, int32_t*);

}  // namespace tg
