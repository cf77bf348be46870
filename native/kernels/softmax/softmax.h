#pragma once
// softmax / logSoftmax along the middle dim of a contiguous [outer, D, inner] block, and their
// backward. Max-subtraction keeps logits in the hundreds finite.
#include <cstdint>

#include "runtime/lines.h"

namespace tg {

using SoftmaxDims = Lines;

template <class T>
void softmax(bool log, SoftmaxDims d, const T* x, T* y);

// dL/dx given the forward output y and upstream g:
//   softmax:    y * (g - sum(g * y))
//   logSoftmax: g - exp(y) * sum(g)
template <class T>
void softmax_backward(bool log, SoftmaxDims d, const T* y, const T* g, T* gx);

}  // namespace tg
