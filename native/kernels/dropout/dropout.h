#pragma once
// Dropout with inverted scaling: a mask of 0 or 1/(1 − p) per unit, drawn from the seeded
// generator (tg.manualSeed), multiplied into [outer, inner] data with one mask value per outer
// index (inner = 1: per element, dropout; inner = H·W: per channel, dropout2d).
#include <cstdint>

#include "kernels/random/random.h"

namespace tg {

// mask[i] = 1/(1 − p) with probability 1 − p, else 0 (always 0 when p = 1). Sequential, so a seed
// gives the same mask at any thread count.
template <class T>
void dropout_mask(Rng& r, int64_t n, double p, T* mask);

// y[o, i] = x[o, i] · mask[o]; threaded. Also the backward (x = the output gradient).
template <class T>
void apply_mask(int64_t outer, int64_t inner, const T* x, const T* mask, T* y);

}  // namespace tg
