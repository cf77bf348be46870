#pragma once
// Strided copies with dtype conversion (contiguous(), expand materialisation, cat, to(dtype)),
// and fills (full, zeros, arange, linspace).
#include <cstdint>

#include "runtime/strided.h"

namespace tg {

// Operands: L[0] = in, L[1] = out.
template <class In, class Out>
void copy(const Shape& s, const Layout* L, const In* in, Out* out);

// Throws std::range_error naming v: a float with no int32 value. Conversions to int32 (copy,
// fill, arange) truncate toward zero and call this for NaN, ±inf and values out of range.
[[noreturn]] void throw_unrepresentable(double v);

// Operand: L[0] = out.
template <class T>
void fill(const Shape& s, const Layout* L, T* out, double value);

// out[i] = start + i * step for i in [0, n); computed in double so long ranges don't drift.
template <class T>
void arange(int64_t n, T* out, double start, double step);

}  // namespace tg
