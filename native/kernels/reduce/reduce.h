#pragma once
// Reductions. Both run on one thread in a fixed order, so results never depend on the
// thread count; float sums accumulate in double.
#include <cstdint>

#include "runtime/strided.h"

namespace tg {

// Sum over the dims where `out` has stride 0, scaled by `scale` (1 for sum, 1/count for mean).
// Operands over the input shape: L[0] = x, L[1] = out. `out` must be contiguous over its
// `out_numel` elements starting at L[1].off.
template <class T>
void sum(const Shape& s, const Layout* L, const T* x, T* out, int64_t out_numel, double scale);

// Max (or min) over the trailing dims. The shape lists the nkeep kept dims first, then the
// reduced dims in their original order. Operands: L[0] = x, L[1] = values, L[2] = indices
// (flat index within the reduced dims); vals or idx may be null. NaN wins, as in PyTorch.
template <class T>
void extreme(bool is_max, const Shape& s, int nkeep, const Layout* L, const T* x, T* vals, int32_t* idx);

}  // namespace tg
