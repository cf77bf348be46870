#pragma once
// Dropout with inverted scaling: a mask of 0 or 1/(1 − p) per unit, drawn from the seeded
// generator (tg.manualSeed), multiplied into [outer, inner] data with one mask value per outer
// index (inner = 1: per element, dropout; inner = H·W: per channel, dropout2d).
#include <cstdint>

namespace tg {

// The mask comes from rand_keep_mask (kernels/random/random.h): 1/(1 − p) with probability 1 − p.

// y[o, i] = x[o, i] · mask[o]; threaded. Also the backward (x = the output gradient).
template <class T>
void apply_mask(int64_t outer, int64_t inner, const T* x, const T* mask, T* y);

}  // namespace tg
