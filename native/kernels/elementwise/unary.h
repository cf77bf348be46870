#pragma once
// Unary elementwise ops and their derivatives, as one table: the forward value of x
// (with scalar parameters a, b) and the gradient given x, the forward output y and the
// upstream gradient g. exp, tanh and sigmoid on float32 also have vectorised loops
// (transcendental_simd.h) that follow these definitions within 2 ulp.
#include <cmath>

#include "runtime/strided.h"

namespace tg {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;

// 1/(1+e^-x). Far below 0, e^-x would overflow and flush results that the type can still hold
// (float32 down to x = -103) to 0, so there it is e^x/(1+e^x). The switch point is rarely crossed,
// so the branch predicts well (a select on the sign of x would mispredict on random data).
template <class T>
T sigmoid_of(T x) {
  return x > T(-80) ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x));
}

// name, forward value of x (with scalar parameters a, b), dL/dx given the upstream g, and what that
// rule reads besides g: IN (x), OUT (the forward output y), INOUT or NONE. The reads column is
// enforced: the rule is compiled with only those operands in scope, and JS saves exactly them.
#define TG_UNARY_OPS(X)                                                                        \
  X(neg, -x, -g, NONE)                                                                         \
  X(exp, std::exp(x), g * y, OUT)                                                              \
  X(log, std::log(x), g / x, IN)                                                               \
  X(sqrt, std::sqrt(x), g / (T(2) * y), OUT)                                                   \
  X(abs, x < 0 ? -x : x, x > 0 ? g : x < 0 ? -g : T(0), IN)                                    \
  X(sign, T((x > 0) - (x < 0)), T(0), NONE)                                                    \
  X(sigmoid, sigmoid_of(x), g * y * (T(1) - y), OUT)                                           \
  X(tanh, std::tanh(x), g * (T(1) - y * y), OUT)                                               \
  X(relu, x > 0 ? x : T(0), y > 0 ? g : T(0), OUT)                                             \
  X(leakyRelu, x > 0 ? x : a * x, x > 0 ? g : a * g, IN)                                       \
  X(elu, x > 0 ? x : a * std::expm1(x), x > 0 ? g : g * (y + a), INOUT)                        \
  X(gelu, T(0.5) * x * (T(1) + std::erf(x * T(kInvSqrt2))),                                    \
    g * (T(0.5) * (T(1) + std::erf(x * T(kInvSqrt2))) + x * std::exp(T(-0.5) * x * x) * T(kInvSqrt2Pi)), IN) \
  X(clamp, x < a ? a : x > b ? b : x, (x >= a && x <= b) ? g : T(0), IN)                       \
  X(pow, std::pow(x, a), a == 0 ? T(0) : g * a * std::pow(x, a - T(1)), IN)                    \
  X(addScalar, x + a, g, NONE)                                                                 \
  X(mulScalar, x * a, g * a, NONE)                                                             \
  X(divScalar, x / a, g / a, NONE)                                                             \
  X(rsubScalar, a - x, -g, NONE)                                                               \
  X(rdivScalar, a / x, -g * a / (x * x), IN)

// The reads column as a bit mask (1 = x, 2 = y), exported to JS as native.unaryReads.
enum : int { kReadsNONE = 0, kReadsIN = 1, kReadsOUT = 2, kReadsINOUT = 3 };

enum class UnaryOp : int {
#define TG_ENUM(name, fwd, bwd, reads) name,
  TG_UNARY_OPS(TG_ENUM)
#undef TG_ENUM
  count
};

extern const char* const kUnaryOpNames[];
extern const int kUnaryOpReads[];

// Operands: L[0] = x, L[1] = out.
template <class T>
void unary(UnaryOp op, const Shape& s, const Layout* L, const T* x, T* out, double a, double b);

// Operands: L[0] = x, L[1] = y (forward output), L[2] = g, L[3] = out (dL/dx).
template <class T>
void unary_backward(UnaryOp op, const Shape& s, const Layout* L, const T* x, const T* y, const T* g, T* out,
                    double a, double b);

}  // namespace tg
