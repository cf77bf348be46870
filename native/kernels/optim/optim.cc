#include "kernels/optim/optim.h"

#include <cmath>
#include <type_traits>

#include "runtime/threadpool.h"

namespace tg {

namespace {
constexpr int64_t kGrain = 1 << 14;

// The gradient as the update sees it: negated for maximize, plus L2 weight decay.
template <class T>
inline T grad_of(T g, T p, bool maximize, T wd) {
  return (maximize ? -g : g) + wd * p;
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
      for (int64_t i = i0; i < i1; ++i) pp[i] -= lr * grad_of(gg[i], pp[i], maximize, wd);
      return;
    }
    T* __restrict bb = buf;
    auto run = [&](auto first_c, auto nesterov_c) {  // one loop per flag pair, so none branches inside
      for (int64_t i = i0; i < i1; ++i) {
        const T d = grad_of(gg[i], pp[i], maximize, wd);
        const T b = first_c ? d : mu * bb[i] + damp * d;
        bb[i] = b;
        pp[i] -= lr * (nesterov_c ? d + mu * b : b);
      }
    };
    using Y = std::true_type;
    using N = std::false_type;
    if (first) nesterov ? run(Y{}, Y{}) : run(Y{}, N{});
    else nesterov ? run(N{}, Y{}) : run(N{}, N{});
  });
}

template <class T>
void adam_step(int64_t n, T* p, const T* g, T* m, T* v, T* vmax, const AdamArgs& a) {
  const double bc1 = 1 - std::pow(a.beta1, double(a.step));
  const double bc2_sqrt = std::sqrt(1 - std::pow(a.beta2, double(a.step)));
  const T step_size = T(a.lr / bc1), bc2s = T(bc2_sqrt), eps = T(a.eps);
  const T b1c = T(1 - a.beta1), b2 = T(a.beta2), b2c = T(1 - a.beta2);
  const T wd = a.decoupled ? T(0) : T(a.weight_decay), shrink = T(1 - a.lr * a.weight_decay);
  parallel_for(n, kGrain, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      if (a.decoupled) p[i] *= shrink;
      const T gi = grad_of(g[i], p[i], a.maximize, wd);
      m[i] += (gi - m[i]) * b1c;  // lerp, as torch does
      v[i] = v[i] * b2 + gi * gi * b2c;
      T vv = v[i];
      if (vmax) vv = vmax[i] = vmax[i] > vv ? vmax[i] : vv;
      p[i] -= step_size * (m[i] / (std::sqrt(vv) / bc2s + eps));
    }
  });
}

template <class T>
void rmsprop_step(int64_t n, T* p, const T* g, T* sq, T* buf, T* gavg, const RmspropArgs& a) {
  const T lr = T(a.lr), alpha = T(a.alpha), eps = T(a.eps), wd = T(a.weight_decay), mu = T(a.momentum);
  const T one_minus_alpha = T(1 - a.alpha);  // rounded once from double, as torch does
  parallel_for(n, kGrain, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const T gi = grad_of(g[i], p[i], a.maximize, wd);
      sq[i] = alpha * sq[i] + one_minus_alpha * gi * gi;
      T avg;
      if (gavg) {
        gavg[i] += (gi - gavg[i]) * one_minus_alpha;
        avg = std::sqrt(sq[i] - gavg[i] * gavg[i]) + eps;
      } else {
        avg = std::sqrt(sq[i]) + eps;
      }
      if (buf) {
        buf[i] = mu * buf[i] + gi / avg;
        p[i] -= lr * buf[i];
      } else {
        p[i] -= lr * (gi / avg);
      }
    }
  });
}

template <class T>
void adagrad_step(int64_t n, T* p, const T* g, T* sum, const AdagradArgs& a) {
  const T clr = T(a.lr / (1 + double(a.step - 1) * a.lr_decay)), eps = T(a.eps), wd = T(a.weight_decay);
  parallel_for(n, kGrain, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const T gi = grad_of(g[i], p[i], a.maximize, wd);
      sum[i] += gi * gi;
      p[i] -= clr * (gi / (std::sqrt(sum[i]) + eps));
    }
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
