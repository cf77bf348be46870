#include "kernels/reduce/lines.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "kernels/elementwise/transcendental_simd.h"

namespace tg {

template <class T>
void variance(const Lines& d, const T* x, T* mean, T* var, double correction) {
  const double divisor = std::max(0.0, double(d.D) - correction);
  for_each_line(d, [&](int64_t l, int64_t base, int64_t st) {
    const T* xl = x + base;
    double s = 0;
    for (int64_t k = 0; k < d.D; ++k) s += double(xl[k * st]);
    const double m = s / double(d.D);
    double q = 0;
    for (int64_t k = 0; k < d.D; ++k) {
      const double e = double(xl[k * st]) - m;
      q += e * e;
    }
    mean[l] = T(m);
    var[l] = T(q / divisor);
  });
}

namespace {

// Σ f(x) along a line in double; unit-stride lines use four partial sums (a fixed combine order),
// which breaks the add latency chain and lets the compiler vectorise f.
template <class T, class F>
double line_sum(const T* xl, int64_t D, int64_t st, F f) {
  double p[4] = {};
  int64_t k = 0;
  if (st == 1)
    for (; k + 4 <= D; k += 4)
      for (int j = 0; j < 4; ++j) p[j] += f(double(xl[k + j]));
  for (; k < D; ++k) p[0] += f(double(xl[k * st]));
  return (p[0] + p[1]) + (p[2] + p[3]);
}

// Runs body(f) with the per-element term of the p-norm as a lambda, so each p gets its own loop.
template <class Body>
double with_norm_term(double p, Body body) {
  if (p == 2) return body([](double a) { return a * a; });
  if (p == 1) return body([](double a) { return std::fabs(a); });
  if (p == 0) return body([](double a) { return double(a != 0); });
  return body([p](double a) { return std::pow(std::fabs(a), p); });
}

}  // namespace

template <class T>
void vector_norm(const Lines& d, const T* x, T* out, double p) {
  const bool is_inf = std::isinf(p);
  for_each_line(d, [&](int64_t l, int64_t base, int64_t st) {
    const T* xl = x + base;
    double r;
    if (is_inf) {
      // max |x| (or min for −inf); a NaN wins, as in max().
      r = std::fabs(double(xl[0]));
      for (int64_t k = 1; k < d.D && r == r; ++k) {
        const double a = std::fabs(double(xl[k * st]));
        if (a != a || (p > 0 ? a > r : a < r)) r = a;
      }
    } else {
      const double s = with_norm_term(p, [&](auto f) { return line_sum(xl, d.D, st, f); });
      r = p == 2 ? std::sqrt(s) : p == 1 || p == 0 ? s : std::pow(s, 1 / p);
    }
    out[l] = T(r);
  });
}

namespace {

// exp over a unit-stride float32 run through the vectorised kernel (nullptr: none for this CPU).
inline FloatRun float_exp() {
  static const FloatRun run = transcendental_run(Transcendental::exp);
  return run;
}

// Σ e^(x − shift) along a line, in double.
template <class T>
double sum_exp(const T* xl, int64_t D, int64_t st, double shift) {
  if constexpr (std::is_same_v<T, float>) {
    if (st == 1 && float_exp()) {
      float buf[256];
      double s = 0;
      for (int64_t k0 = 0; k0 < D; k0 += 256) {
        const int64_t n = std::min<int64_t>(256, D - k0);
        for (int64_t k = 0; k < n; ++k) buf[k] = xl[k0 + k] - float(shift);
        float_exp()(buf, buf, n);
        s += line_sum(buf, n, 1, [](double e) { return e; });
      }
      return s;
    }
  }
  return line_sum(xl, D, st, [shift](double v) { return std::exp(v - shift); });
}

}  // namespace

template <class T>
void logsumexp(const Lines& d, const T* x, T* out) {
  for_each_line(d, [&](int64_t l, int64_t base, int64_t st) {
    const T* xl = x + base;
    T m = d.D > 0 ? xl[0] : -std::numeric_limits<T>::infinity();  // an empty sum: log 0 = −inf
    for (int64_t k = 1; k < d.D; ++k) m = xl[k * st] > m ? xl[k * st] : m;
    const double shift = std::isinf(m) ? 0.0 : double(m);
    out[l] = T(std::log(sum_exp(xl, d.D, st, shift)) + shift);
  });
}

template <class T>
void logsumexp_backward(const Lines& d, const T* x, const T* y, const T* g, T* gx) {
  for_each_line(d, [&](int64_t l, int64_t base, int64_t st) {
    const T yl = y[l], gl = g[l];
    if (yl == -std::numeric_limits<T>::infinity()) {
      for (int64_t k = 0; k < d.D; ++k) gx[base + k * st] = T(0);
      return;
    }
    if constexpr (std::is_same_v<T, float>) {
      if (st == 1 && float_exp()) {
        for (int64_t k = 0; k < d.D; ++k) gx[base + k] = x[base + k] - yl;
        float_exp()(gx + base, gx + base, d.D);
        for (int64_t k = 0; k < d.D; ++k) gx[base + k] *= gl;
        return;
      }
    }
    for (int64_t k = 0; k < d.D; ++k) {
      const int64_t j = base + k * st;
      gx[j] = gl * std::exp(x[j] - yl);
    }
  });
}

template <class T>
void cumsum(const Lines& d, const T* x, T* out, bool reverse) {
  for_each_line(d, [&](int64_t, int64_t base, int64_t st) {
    const int64_t first = reverse ? base + (d.D - 1) * st : base, step = reverse ? -st : st;
    double s = 0;
    for (int64_t k = 0; k < d.D; ++k) {
      const int64_t j = first + k * step;
      s += double(x[j]);
      if constexpr (std::is_integral_v<T>) {
        // PyTorch sums int32 into int64; without int64 a running sum out of int32's range is an error.
        if (!(s >= -2147483648.0 && s <= 2147483647.0))
          throw std::overflow_error("the int32 running sum " + std::to_string(static_cast<long long>(s)) +
                                    " does not fit in int32 (PyTorch would return int64); convert with .double() first");
      }
      out[j] = T(s);
    }
  });
}

#define TG_FLOAT(T)                                                                  \
  template void variance<T>(const Lines&, const T*, T*, T*, double);                 \
  template void vector_norm<T>(const Lines&, const T*, T*, double);                  \
  template void logsumexp<T>(const Lines&, const T*, T*);                            \
  template void logsumexp_backward<T>(const Lines&, const T*, const T*, const T*, T*);
TG_FLOAT(float)
TG_FLOAT(double)
#undef TG_FLOAT
template void cumsum<float>(const Lines&, const float*, float*, bool);
template void cumsum<double>(const Lines&, const double*, double*, bool);
template void cumsum<int32_t>(const Lines&, const int32_t*, int32_t*, bool);

}  // namespace tg
