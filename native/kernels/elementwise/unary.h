#pragma once
// Unary elementwise ops and their derivatives, as one table: the forward value of x
// (with scalar parameters a, b) and the gradient given x, the forward output y and the
// upstream gradient g. exp, tanh and sigmoid on float32 also have vectorised loops
// (transcendental_simd.h) that follow these definitions within 2 ulp.
#include <cmath>
#include <cstdint>
#include <cstdlib>

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

// x^p for an integer x and an integer p by repeated squaring, wrapping on overflow as int32
// arithmetic does in PyTorch (unsigned arithmetic: overflow is defined). A negative p (reached only by
// a tensor exponent) gives PyTorch's integer answers: 1 for x = 1, ±1 for x = −1, else 0 (0 for x = 0 too).
// Float types use std::pow.
inline int64_t power(int64_t x, int64_t p) {
  if (p < 0) return x == 1 ? 1 : x == -1 ? ((p & 1) ? -1 : 1) : 0;
  uint64_t r = 1, b = static_cast<uint64_t>(x);
  for (uint64_t e = static_cast<uint64_t>(p); e; e >>= 1, b *= b)
    if (e & 1) r *= b;
  return static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(r)));
}
inline float power(float x, float p) { return std::pow(x, p); }
inline double power(double x, double p) { return std::pow(x, p); }

// NaN, ±inf and -0 follow PyTorch 1.13: relu/clamp/abs propagate NaN (a diverged network stays
// visible), relu keeps -0 and passes the gradient at NaN, clamp is min(max(x, lo), hi) so lo > hi
// gives hi everywhere and a NaN bound gives NaN. ELU is alpha·(e^x − 1) for every x <= 0, +0 too; its
// e^x − 1 is +0 at x = ±0 (expm1(-0) is -0, so + 0 makes it +0), so the sign of a zero result is alpha's;
// its derivative is g·alpha·e^x as PyTorch's (not g·(y + alpha), which loses alpha's sign where e^x is 0).
// d/dx x·tanh(softplus(x)) = tanh(sp) + x·σ(x)·(1 − tanh²(sp)), as PyTorch's mish_backward.
template <class T>
T mish_grad(T x, T g) {
  const T t = std::tanh(std::log1p(std::exp(x)));
  return g * (t + x * sigmoid_of(x) * (T(1) - t * t));
}

// PyTorch composes softsign as x / (1 + |x|); its gradient is the quotient rule's two terms, which
// is NaN at ±inf (inf/inf) where the simplified 1/(1 + |x|)² would give 0.
template <class T>
T softsign_grad(T x, T g) {
  const T d = T(1) + std::abs(x), s = T((x > 0) - (x < 0));
  return g / d - g * x / (d * d) * s;
}

// min(max(x, lo), hi) with NaN propagating from x or either bound (torch.clamp).
template <class T>
T clamp_of(T x, T lo, T hi) {
  const T v = (x != x || x >= lo) ? x : lo;
  return (v != v || v <= hi) ? v : hi;
}

// name, forward value of x (with scalar parameters a, b), dL/dx given the upstream g, and what that
// rule reads besides g: IN (x), OUT (the forward output y), INOUT or NONE. The reads column is
// enforced: the rule is compiled with only those operands in scope, and JS saves exactly them.
#define TG_UNARY_OPS(X)                                                                        \
  X(neg, -x, -g, NONE)                                                                         \
  X(exp, std::exp(x), g * y, OUT)                                                              \
  X(log, std::log(x), g / x, IN)                                                               \
  X(sqrt, std::sqrt(x), g / (T(2) * y), OUT)                                                   \
  X(abs, std::abs(x), x > 0 ? g : x < 0 ? -g : T(0), IN)                                       \
  X(sign, T((x > 0) - (x < 0)), T(0), NONE)                                                    \
  X(sigmoid, sigmoid_of(x), g * y * (T(1) - y), OUT)                                           \
  X(tanh, std::tanh(x), g * (T(1) - y * y), OUT)                                               \
  X(relu, x < 0 ? decltype(x)(0) : x, y <= 0 ? T(0) : g, OUT)                                  \
  X(leakyRelu, x > 0 ? x : a * x, x > 0 ? g : a * g, IN)                                       \
  X(elu, x > 0 ? x : a * (std::expm1(x) + decltype(x)(0)), x > 0 ? g : g * a * std::exp(x), IN) \
  X(gelu, T(0.5) * x * (T(1) + std::erf(x * T(kInvSqrt2))),                                    \
    g * (T(0.5) * (T(1) + std::erf(x * T(kInvSqrt2))) + x * std::exp(T(-0.5) * x * x) * T(kInvSqrt2Pi)), IN) \
  X(clamp, clamp_of(x, a, b), (x >= a && x <= b) ? g : T(0), IN)                               \
  X(pow, power(x, a), a == 0 ? T(0) : g * a * std::pow(x, a - T(1)), IN)                       \
  X(addScalar, x + a, g, NONE)                                                                 \
  X(mulScalar, x * a, g * a, NONE)                                                             \
  X(divScalar, x / a, g / a, NONE)                                                             \
  X(rsubScalar, a - x, -g, NONE)                                                               \
  X(rdivScalar, a / x, -g * a / (x * x), IN)                                                   \
  X(log1p, std::log1p(x), g / (T(1) + x), IN)                                                  \
  X(expm1, std::expm1(x), g * (y + T(1)), OUT)                                                 \
  X(reciprocal, T(1) / x, -g * y * y, OUT)                                                     \
  X(rsqrt, T(1) / std::sqrt(x), T(-0.5) * g * y * y * y, OUT)                                  \
  X(sin, std::sin(x), g * std::cos(x), IN)                                                     \
  X(cos, std::cos(x), -g * std::sin(x), IN)                                                    \
  X(floor, std::floor(x), T(0), NONE)                                                          \
  X(ceil, std::ceil(x), T(0), NONE)                                                            \
  X(round, std::nearbyint(x), T(0), NONE)                                                      \
  X(silu, x * sigmoid_of(x), g * sigmoid_of(x) * (T(1) + x * (T(1) - sigmoid_of(x))), IN)      \
  X(softplus, x * a > b ? x : std::log1p(std::exp(x * a)) / a,                                 \
    x * a > b ? g : g * sigmoid_of(x * a), IN)                                                 \
  X(mish, x * std::tanh(std::log1p(std::exp(x))), mish_grad(x, g), IN)                         \
  X(hardtanh, clamp_of(x, a, b), (x > a && x < b) ? g : T(0), IN)                              \
  X(logSigmoid, (x < 0 ? x : decltype(x)(0)) - std::log1p(std::exp(-std::abs(x))), g * sigmoid_of(-x), IN) \
  X(softsign, x / (T(1) + std::abs(x)), softsign_grad(x, g), IN)

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
