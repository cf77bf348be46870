#pragma once
// Sorting along the lines of a contiguous [outer, D, inner] block (runtime/lines.h): each line's
// first k elements in order, with the positions they came from. NaN counts as larger than every
// number, as in PyTorch (last ascending, first descending), and equal elements keep their order
// (a stable sort), so the results are the same at any thread count. k = D sorts whole lines (sort,
// argsort); k < D selects the top k (topk), also in order.
#include <cstdint>

#include "runtime/lines.h"

namespace tg {

// vals / idx are [outer, k, inner] blocks; either may be null.
template <class T>
void sort_lines(const Lines& d, int64_t k, bool descending, const T* x, T* vals, int32_t* idx);

}  // namespace tg
