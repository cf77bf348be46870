#pragma once
// Binary elementwise ops over broadcast operands (a stride of 0 broadcasts), the comparisons
// that produce int32 masks, where(), and the ops' gradients: the table lists every rule.
#include <cstdint>

#include "runtime/strided.h"

namespace tg {

// name, forward value of (a, b), dL/da and dL/db given upstream g, and what each of the two rules
// reads besides g: A, B, AB or NONE. The reads columns are enforced: each rule is compiled with only
// those operands in scope, and JS saves exactly what the gradients it needs read.
// maximum/minimum follow PyTorch 1.13: NaN in either operand wins the value and both operands get
// the full gradient; ties split it evenly. pow's rules are PyTorch's pow_backward_self/_exponent: 0 for
// the base where the exponent is 0, 0 for the exponent where the base is 0 and the exponent >= 0, and
// out·log(base) elsewhere (NaN for a negative base).
#define TG_BINARY_OPS(X)                                                                         \
  X(add, a + b, g, g, NONE, NONE)                                                                \
  X(sub, a - b, g, -g, NONE, NONE)                                                               \
  X(mul, a * b, g * b, g * a, B, A)                                                              \
  X(div, a / b, g / b, -g * a / (b * b), B, AB)                                                  \
  X(maximum, (a != a || a > b) ? a : b, a < b ? T(0) : a == b ? g / T(2) : g,                   \
    a > b ? T(0) : a == b ? g / T(2) : g, AB, AB)                                                \
  X(minimum, (a != a || a < b) ? a : b, a > b ? T(0) : a == b ? g / T(2) : g,                   \
    a < b ? T(0) : a == b ? g / T(2) : g, AB, AB)                                                \
  X(pow, power(a, b), b == T(0) ? T(0) : g * b * std::pow(a, b - T(1)),                         \
    a == T(0) && b >= T(0) ? T(0) : g * std::pow(a, b) * std::log(a), AB, AB)

// A reads column as a bit mask (1 = a, 2 = b); native.binaryReads[op] = [mask of dL/da, mask of dL/db].
enum : int { kBReadsNONE = 0, kBReadsA = 1, kBReadsB = 2, kBReadsAB = 3 };

#define TG_COMPARE_OPS(X) \
  X(eq, a == b) X(ne, a != b) X(gt, a > b) X(ge, a >= b) X(lt, a < b) X(le, a <= b)

enum class BinaryOp : int {
#define TG_ENUM(name, fwd, da, db, ra, rb) name,
  TG_BINARY_OPS(TG_ENUM)
#undef TG_ENUM
  count
};

enum class CompareOp : int {
#define TG_ENUM(name, expr) name,
  TG_COMPARE_OPS(TG_ENUM)
#undef TG_ENUM
  count
};

extern const char* const kBinaryOpNames[];
extern const int kBinaryOpReads[][2];
extern const char* const kCompareOpNames[];

// Operands: L[0] = a, L[1] = b, L[2] = out.
template <class T>
void binary(BinaryOp op, const Shape& s, const Layout* L, const T* a, const T* b, T* out);
template <class T>
void compare(CompareOp op, const Shape& s, const Layout* L, const T* a, const T* b, int32_t* out);
// Operands: L[0] = a, L[1] = b, L[2] = g, L[3] = ga, L[4] = gb, all over the broadcast shape.
template <class T>
void binary_backward(BinaryOp op, const Shape& s, const Layout* L, const T* a, const T* b, const T* g, T* ga,
                     T* gb);
// Operands: L[0] = cond, L[1] = a, L[2] = b, L[3] = out: out = cond != 0 ? a : b.
template <class T>
void where(const Shape& s, const Layout* L, const int32_t* cond, const T* a, const T* b, T* out);

}  // namespace tg
