#pragma once
// Reductions along one line of a contiguous [outer, D, inner] block (runtime/lines.h), one result per
// line, accumulated in double in a fixed order:
//   variance:  mean and Σ(x − mean)² / max(0, D − correction) (two passes, as PyTorch)
//   norm:      the vector p-norm (p = 2, 1, ±inf, 0, or any other p: (Σ|x|ᵖ)^(1/p))
//   logsumexp: m + log Σ e^(x − m) with m the line's max, or 0 when m is ±inf (so a line of −inf
//              gives −inf and a +inf gives +inf, as PyTorch)
// and the running sum along the line (cumsum), forward or from the end (its gradient).
#include <cstdint>

#include "runtime/lines.h"

namespace tg {

template <class T>
void variance(const Lines& d, const T* x, T* mean, T* var, double correction);

template <class T>
void vector_norm(const Lines& d, const T* x, T* out, double p);

template <class T>
void logsumexp(const Lines& d, const T* x, T* out);

// dL/dx = g · e^(x − y) per line, 0 on lines whose result y is −inf (no element contributes;
// e^(−inf − (−inf)) would be NaN).
template <class T>
void logsumexp_backward(const Lines& d, const T* x, const T* y, const T* g, T* gx);

// out[k] = Σ_{j<=k} x[j] along each line (reverse: Σ_{j>=k}). Float sums accumulate in double; an
// int32 running sum that leaves int32's range throws std::overflow_error.
template <class T>
void cumsum(const Lines& d, const T* x, T* out, bool reverse);

}  // namespace tg
