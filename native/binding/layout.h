#pragma once
// Checked reading of sizes and layouts that come from JS: every size is a non-negative integer,
// products never wrap, and every element a layout reaches lies inside its array.
#include <cstdint>
#include <initializer_list>

#include "binding/call.h"
#include "runtime/strided.h"

namespace tg {

// x * y + z for non-negative operands, or -1 when it does not fit in int64: sizes from JS reach
// 2^53 each, so their products can wrap and make a huge layout look small.
int64_t mul_add(int64_t x, int64_t y, int64_t z);

// The element count of dense dims, or a RangeError when it overflows int64.
int64_t dense_numel(const Args& a, std::initializer_list<int64_t> dims);

// Offset of the last element a layout reaches over a non-empty shape, or -1 on overflow.
int64_t last_element(const Shape& s, const Layout& l);

// A RangeError unless the array has at least n elements.
void need_len(const Args& a, const Array& x, int64_t n, const char* what);

}  // namespace tg
