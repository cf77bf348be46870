#include "kernels/optim/optim.h"

#include <cmath>
#include <type_traits>

#include "runtime/threadpool.h"

namespace tg {

namespace {
constexpr int64_t kGrain = 1 << 14;

// The gradient as the update sees it: negated for maximize, plus L2 weight decay only when it is
// non-zero (Decay), as torch adds it: 0 · p would turn a parameter at ±inf into NaN (and +0 would flip
// a -0). Decay is a template constant: a run-time test per element kept the loops from vectorising.
template <bool Decay, class T>
inline T grad_of(T g, T p, bool maximize, T wd) {
  const T d = maximize ? -g : g;
  return Decay ? d + wd * p : d;
}

using Y = std::true_type;
using N = std::false_type;

// Calls f with Y{} when weight decay is on, else N{}.
template <class T, class F>
void with_decay(T wd, F&& f) {
  if (wd != T(0)) f(Y{});
  else f(N{});
}
}  // namespace

template <class T>
void sgd_step(int64_t n, T* p, const T* g, T* buf, const SgdArgs& a) {
  const T lr = T(a.lr), mu = T(a.momentum), damp = T(1 - a.dampening), wd = T(a.weight_decay);
  // Flags in locals and unaliased pointers let the compiler vectorize the momentum loop (it ran
  // scalar, ~10x slower than the plain one); the per-element arithmetic is unchanged.
  const bool maximize = a.maximize, first = a.first_step, nesterov = a.nesterov;
  // The scalars are captured by value: captured by reference, every store to p or buf might change
  // them, so they were reloaded each element and the loop ran scalar.
  parallel_for(n, kGrain, [=](int64_t i0, int64_t i1) {
    T* __restrict pp = p;
    const T* __restrict gg = g;
    if (buf == nullptr) {
      with_decay(wd, [&](auto decay_c) {
        for (int64_t i = i0; i < i1; ++i) pp[i] -= lr * grad_of<decay_c>(gg[i], pp[i], maximize, wd);
      });
      return;
    }
    T* __restrict bb = buf;
    auto run = [&](auto first_c, auto nesterov_c, auto decay_c) {  // one loop per flag set, so none branches inside
      for (int64_t i = i0; i < i1; ++i) {
        const T d = grad_of<decay_c>(gg[i], pp[i], maximize, wd);
        const T b = first_c ? d : mu * bb[i] + damp * d;
        bb[i] = b;
        pp[i] -= lr * (nesterov_c ? d + mu * b : b);
      }
    };
    with_decay(wd, [&](auto decay_c) {
      if (first) nesterov ? run(Y{}, Y{}, decay_c) : run(Y{}, N{}, decay_c);
      else nesterov ? run(N{}, Y{}, decay_c) : run(N{}, N{}, decay_c);
    });
  });
}

// Adam, RMSprop and Adagrad: each range runs in a function whose flags are template constants (no branch in
// the loop), whose scalars come by value and whose arrays are __restrict parameters, so the loop vectorises
// (sqrt and division included: -fno-math-errno) with the same per-element arithmetic as the scalar rule.
template <class T>
struct AdamScalars {
  T step_size, bc2s, eps, b1c, b2, b2c, wd, shrink;
  bool maximize;
};

template <bool Decoupled, bool Amsgrad, bool Decay, class T>
void adam_range(int64_t i0, int64_t i1, T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,
                T* __restrict vmax, const AdamScalars<T> s) {
  for (int64_t i = i0; i < i1; ++i) {
    T pi = p[i];
    if (Decoupled) pi *= s.shrink;
    const T gi = grad_of<Decay>(g[i], pi, s.maximize, s.wd);
    const T mi = m[i] + (gi - m[i]) * s.b1c;  // lerp, as torch does
    const T vi = v[i] * s.b2 + gi * gi * s.b2c;
    m[i] = mi;
    v[i] = vi;
    T vhat = vi;
    if (Amsgrad) vhat = vmax[i] = vmax[i] > vi ? vmax[i] : vi;
    p[i] = pi - s.step_size * (mi / (std::sqrt(vhat) / s.bc2s + s.eps));
  }
}

template <class T>
void adam_step(int64_t n, T* p, const T* g, T* m, T* v, T* vmax, const AdamArgs& a) {
  const double bc1 = 1 - std::pow(a.beta1, double(a.step));
  const double bc2_sqrt = std::sqrt(1 - std::pow(a.beta2, double(a.step)));
  const AdamScalars<T> s{T(a.lr / bc1), T(bc2_sqrt), T(a.eps), T(1 - a.beta1), T(a.beta2), T(1 - a.beta2),
                         a.decoupled ? T(0) : T(a.weight_decay), T(1 - a.lr * a.weight_decay), a.maximize};
  with_decay(s.wd, [&](auto decay_c) {
    constexpr bool D = decay_c;
    const auto range = a.decoupled ? (vmax ? adam_range<true, true, D, T> : adam_range<true, false, D, T>)
                                   : (vmax ? adam_range<false, true, D, T> : adam_range<false, false, D, T>);
    parallel_for(n, kGrain, [=](int64_t i0, int64_t i1) { range(i0, i1, p, g, m, v, vmax, s); });
  });
}

template <class T>
struct RmspropScalars {
  T lr, alpha, one_minus_alpha, eps, wd, mu;
  bool maximize;
};

template <bool Centered, bool Momentum, bool Decay, class T>
void rmsprop_range(int64_t i0, int64_t i1, T* __restrict p, const T* __restrict g, T* __restrict sq,
                   T* __restrict buf, T* __restrict gavg, const RmspropScalars<T> s) {
  for (int64_t i = i0; i < i1; ++i) {
    const T gi = grad_of<Decay>(g[i], p[i], s.maximize, s.wd);
    const T si = s.alpha * sq[i] + s.one_minus_alpha * gi * gi;
    sq[i] = si;
    T avg;
    if (Centered) {
      const T ai = gavg[i] + (gi - gavg[i]) * s.one_minus_alpha;
      gavg[i] = ai;
      avg = std::sqrt(si - ai * ai) + s.eps;
    } else {
      avg = std::sqrt(si) + s.eps;
    }
    if (Momentum) {
      const T bi = s.mu * buf[i] + gi / avg;
      buf[i] = bi;
      p[i] -= s.lr * bi;
    } else {
      p[i] -= s.lr * (gi / avg);
    }
  }
}

template <class T>
void rmsprop_step(int64_t n, T* p, const T* g, T* sq, T* buf, T* gavg, const RmspropArgs& a) {
  // 1 - alpha is rounded once from double, as torch does.
  const RmspropScalars<T> s{T(a.lr), T(a.alpha), T(1 - a.alpha), T(a.eps), T(a.weight_decay), T(a.momentum),
                            a.maximize};
  with_decay(s.wd, [&](auto decay_c) {
    constexpr bool D = decay_c;
    const auto range = gavg ? (buf ? rmsprop_range<true, true, D, T> : rmsprop_range<true, false, D, T>)
                            : (buf ? rmsprop_range<false, true, D, T> : rmsprop_range<false, false, D, T>);
    parallel_for(n, kGrain, [=](int64_t i0, int64_t i1) { range(i0, i1, p, g, sq, buf, gavg, s); });
  });
}

template <bool Decay, class T>
void adagrad_range(int64_t i0, int64_t i1, T* __restrict p, const T* __restrict g, T* __restrict sum, T clr, T eps,
                   T wd, bool maximize) {
  for (int64_t i = i0; i < i1; ++i) {
    const T gi = grad_of<Decay>(g[i], p[i], maximize, wd);
    const T si = sum[i] + gi * gi;
    sum[i] = si;
    p[i] -= clr * (gi / (std::sqrt(si) + eps));
  }
}

template <class T>
void adagrad_step(int64_t n, T* p, const T* g, T* sum, const AdagradArgs& a) {
  const T clr = T(a.lr / (1 + double(a.step - 1) * a.lr_decay)), eps = T(a.eps), wd = T(a.weight_decay);
  const bool maximize = a.maximize;
  with_decay(wd, [&](auto decay_c) {
    parallel_for(n, kGrain, [=](int64_t i0, int64_t i1) {
      adagrad_range<decltype(decay_c)::value>(i0, i1, p, g, sum, clr, eps, wd, maximize);
    });
  });
}

#define TG_INSTANTIATE(T)                                                                           \
  template void sgd_step<T>(int64_t, T*, const T*, T*, const SgdArgs&);                             \
  template void adam_step<T>(int64_t, T*, const T*, T*, T*, T*, const AdamArgs&);                   \
  template void rmsprop_step<T>(int64_t, T*, const T*, T*, T*, T*, const RmspropArgs&);             \
  template void adagrad_step<T>(int64_t, T*, const T*, T*, const AdagradArgs&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
