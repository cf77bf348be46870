#pragma once
// torch.nonzero: the multi-indices of the nonzero elements of a contiguous tensor, in row-major order.
#include <cstdint>

namespace tg {

// Counts the elements of x[0, n) that are not 0 (NaN counts; −0 does not).
template <class T>
int64_t count_nonzero(int64_t n, const T* x);
// Writes the index (nd values, shape `dims`) of every nonzero element of x into out, one row each,
// in row-major order; out holds count_nonzero(n, x) rows.
template <class T>
void nonzero_indices(int nd, const int32_t* dims, int64_t n, const T* x, int32_t* out);

}  // namespace tg
