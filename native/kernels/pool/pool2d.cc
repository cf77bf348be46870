#include "kernels/pool/pool2d.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/pool/pairs.h"
#include "runtime/cpu.h"
#include "runtime/threadpool.h"

namespace tg {

namespace {

// Runs f(p) for every plane p, on the pool, with chunks of roughly equal work.
template <class F>
void for_each_plane(const PoolGeometry& g, F f) {
  const int64_t work = g.OH() * g.OW() * g.h.longest() * g.w.longest() + g.H * g.W;
  parallel_for(g.planes, 1 + (int64_t(1) << 15) / (work + 1), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) f(p);
  });
}

double divisor(const PoolGeometry& g, int64_t override_, int64_t oh, int64_t ow) {
  return double(override_ != 0 ? override_ : g.h.count[oh] * g.w.count[ow]);
}

}  // namespace

// One output row of max pooling, visiting the window's input positions in PyTorch's order (rows,
// then columns, ascending) but with the output column innermost: every window of the row moves one
// kernel offset at a time, so the loop has no data-dependent branches and reads input rows in order.
// Window columns of output ow are ws[ow] + j·step for j in [0, kW), where ws is the unclipped start.
template <class T>
void max_pool_row(const PoolGeometry& g, const T* xp, int64_t oh, T* yr, int32_t* ir) {
  const int64_t OW = g.OW(), W = g.W, kw = g.w.kernel, sw = g.w.stride, dw = g.w.step;
  for (int64_t ow = 0; ow < OW; ++ow) {
    const bool empty = g.h.start[oh] >= g.h.end[oh] || g.w.start[ow] >= g.w.end[ow];
    // PyTorch starts from −inf at the window's first position, so an all −inf window points there.
    yr[ow] = -std::numeric_limits<T>::infinity();
    ir[ow] = empty ? -1 : int32_t(g.h.start[oh] * W + g.w.start[ow]);
  }
  for (int64_t ih = g.h.start[oh]; ih < g.h.end[oh]; ih += g.h.step) {
    const T* row = xp + ih * W;
    for (int64_t j = 0; j < kw; ++j) {
      const int64_t off = j * dw - g.w.pad;  // iw = ow·stride + off, valid for iw in [0, W)
      const int64_t lo = off >= 0 ? 0 : (-off + sw - 1) / sw, hi = std::min(OW, W - off > 0 ? (W - off + sw - 1) / sw : 0);
      for (int64_t ow = lo; ow < hi; ++ow) {
        const int64_t iw = ow * sw + off;
        const T v = row[iw];
        const bool take = (v > yr[ow]) | (v != v);  // NaN wins, as PyTorch
        yr[ow] = take ? v : yr[ow];
        ir[ow] = take ? int32_t(ih * W + iw) : ir[ow];
      }
    }
  }
}

namespace {

// 2×2 windows with stride 2, no padding or dilation, inside the input (LeNet's pooling): the four values of a
// window are compared in PyTorch's order (rows, then columns) in registers, and the output column is the only
// loop, with no data-dependent branch, so the compiler vectorises it.
bool pairs_2x2(const PoolGeometry& g, int64_t oh) {
  const AxisWindows &h = g.h, &w = g.w;
  return w.kernel == 2 && w.stride == 2 && w.pad == 0 && w.step == 1 && 2 * g.OW() <= g.W && h.kernel == 2 &&
         h.step == 1 && h.end[oh] - h.start[oh] == 2;
}

template <class T>
inline void take_if_larger(T v, int32_t i, T& best, int32_t& at) {
  const bool take = (v > best) | (v != v);  // NaN wins, as PyTorch
  best = take ? v : best;
  at = take ? i : at;
}

// Whether the 2×2 rows run on AVX-512 (fp32 only).
template <class T>
bool pairs_avx512() {
  return std::is_same_v<T, float> && cpu_isa() == Isa::Avx512;
}

template <class T>
void max_pool_row_2x2(const PoolGeometry& g, const T* xp, int64_t oh, T* yr, int32_t* ir, bool avx512) {
  const int64_t W = g.W, ih = g.h.start[oh];
  const T* r0 = xp + ih * W;
  const T* r1 = r0 + W;
  const int32_t i0 = int32_t(ih * W);
  if constexpr (std::is_same_v<T, float>) {
    if (avx512) return pool::max_pairs_row_f32_avx512(r0, W, g.OW(), i0, yr, ir);
  }
  for (int64_t ow = 0; ow < g.OW(); ++ow) {
    const int32_t at0 = i0 + int32_t(2 * ow);
    T best = r0[2 * ow];
    int32_t at = at0;
    // PyTorch starts from −inf: a first value of NaN or −inf is taken as it is, at the first position.
    take_if_larger(r0[2 * ow + 1], at0 + 1, best, at);
    take_if_larger(r1[2 * ow], at0 + int32_t(W), best, at);
    take_if_larger(r1[2 * ow + 1], at0 + int32_t(W) + 1, best, at);
    yr[ow] = best;
    ir[ow] = at;
  }
}

}  // namespace

template <class T>
void max_pool2d(const PoolGeometry& g, const T* x, T* y, int32_t* idx) {
  const int64_t OH = g.OH(), OW = g.OW(), sh = g.h.step, sw = g.w.step, W = g.W;
  const bool avx512 = pairs_avx512<T>();
  for_each_plane(g, [&](int64_t p) {
    const T* xp = x + p * g.H * W;
    T* yp = y + p * OH * OW;
    int32_t* ip = idx + p * OH * OW;
    for (int64_t oh = 0; oh < OH; ++oh) {
      if (pairs_2x2(g, oh)) {
        max_pool_row_2x2(g, xp, oh, yp + oh * OW, ip + oh * OW, avx512);
        continue;
      }
      if (g.w.kernel > 0) {  // windows of a fixed kernel (max_pool2d)
        max_pool_row(g, xp, oh, yp + oh * OW, ip + oh * OW);
        continue;
      }
      for (int64_t ow = 0; ow < OW; ++ow) {  // adaptive windows of varying size
        const bool empty = g.h.start[oh] >= g.h.end[oh] || g.w.start[ow] >= g.w.end[ow];
        T best = -std::numeric_limits<T>::infinity();
        int32_t at = empty ? -1 : int32_t(g.h.start[oh] * W + g.w.start[ow]);
        for (int64_t ih = g.h.start[oh]; ih < g.h.end[oh]; ih += sh)
          for (int64_t iw = g.w.start[ow]; iw < g.w.end[ow]; iw += sw) {
            const T v = xp[ih * W + iw];
            const bool take = (v > best) | (v != v);
            best = take ? v : best;
            at = take ? int32_t(ih * W + iw) : at;
          }
        yp[oh * OW + ow] = best;
        ip[oh * OW + ow] = at;
      }
    }
  });
}

namespace {

// Whether every output row is a row of 2×2 stride-2 windows inside the input (pairs_2x2).
bool all_pairs_2x2(const PoolGeometry& g) {
  for (int64_t oh = 0; oh < g.OH(); ++oh)
    if (!pairs_2x2(g, oh) || g.h.start[oh] != 2 * oh) return false;
  return true;
}

// One plane of 2×2 stride-2 windows: each window's four inputs are written once (g where the arg-max is, else
// 0) and the rows and columns no window covers are zeroed, so the plane is written in one pass, not cleared and
// then scattered into. `v + 0` is what the scatter's 0 + v gives (a -0 gradient lands as +0).
template <class T>
void max_unpool_plane_2x2(const PoolGeometry& g, const T* gyp, const int32_t* ip, T* gp) {
  const int64_t W = g.W, OW = g.OW();
  for (int64_t oh = 0; oh < g.OH(); ++oh) {
    T* r0 = gp + 2 * oh * W;
    T* r1 = r0 + W;
    const int32_t base = int32_t(2 * oh * W);
    for (int64_t ow = 0; ow < OW; ++ow) {
      const int32_t at = ip[oh * OW + ow] - base - int32_t(2 * ow);  // 0, 1, W or W + 1
      const T v = gyp[oh * OW + ow] + T(0);
      r0[2 * ow] = at == 0 ? v : T(0);
      r0[2 * ow + 1] = at == 1 ? v : T(0);
      r1[2 * ow] = at == int32_t(W) ? v : T(0);
      r1[2 * ow + 1] = at == int32_t(W) + 1 ? v : T(0);
    }
    for (int64_t iw = 2 * OW; iw < W; ++iw) r0[iw] = r1[iw] = T(0);
  }
  for (int64_t i = 2 * g.OH() * W; i < g.H * W; ++i) gp[i] = T(0);
}

}  // namespace

template <class T>
void max_pool2d_backward(const PoolGeometry& g, const T* gy, const int32_t* idx, T* gx) {
  const int64_t n = g.OH() * g.OW();
  const bool pairs = all_pairs_2x2(g);
  for_each_plane(g, [&](int64_t p) {
    T* gp = gx + p * g.H * g.W;
    const T* gyp = gy + p * n;
    const int32_t* ip = idx + p * n;
    if (pairs) return max_unpool_plane_2x2(g, gyp, ip, gp);
    for (int64_t i = 0; i < g.H * g.W; ++i) gp[i] = T(0);
    for (int64_t i = 0; i < n; ++i)
      if (ip[i] >= 0) gp[ip[i]] += gyp[i];
  });
}

template <class T>
void avg_pool2d(const PoolGeometry& g, int64_t divisor_override, const T* x, T* y) {
  const int64_t OH = g.OH(), OW = g.OW();
  for_each_plane(g, [&](int64_t p) {
    const T* xp = x + p * g.H * g.W;
    T* yp = y + p * OH * OW;
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        double s = 0;  // as PyTorch's CPU kernel, float sums accumulate in double
        for (int64_t ih = g.h.start[oh]; ih < g.h.end[oh]; ++ih)
          for (int64_t iw = g.w.start[ow]; iw < g.w.end[ow]; ++iw) s += xp[ih * g.W + iw];
        const bool empty = g.h.start[oh] >= g.h.end[oh] || g.w.start[ow] >= g.w.end[ow];
        yp[oh * OW + ow] = empty ? T(0) : T(s / divisor(g, divisor_override, oh, ow));
      }
  });
}

template <class T>
void avg_pool2d_backward(const PoolGeometry& g, int64_t divisor_override, const T* gy, T* gx) {
  const int64_t OH = g.OH(), OW = g.OW();
  for_each_plane(g, [&](int64_t p) {
    T* gp = gx + p * g.H * g.W;
    for (int64_t i = 0; i < g.H * g.W; ++i) gp[i] = T(0);
    const T* gyp = gy + p * OH * OW;
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow) {
        const T share = T(gyp[oh * OW + ow] / divisor(g, divisor_override, oh, ow));
        for (int64_t ih = g.h.start[oh]; ih < g.h.end[oh]; ++ih)
          for (int64_t iw = g.w.start[ow]; iw < g.w.end[ow]; ++iw) gp[ih * g.W + iw] += share;
      }
  });
}

#define TG_INSTANTIATE(T)                                                                        \
  template void max_pool2d<T>(const PoolGeometry&, const T*, T*, int32_t*);                      \
  template void max_pool2d_backward<T>(const PoolGeometry&, const T*, const int32_t*, T*);       \
  template void avg_pool2d<T>(const PoolGeometry&, int64_t, const T*, T*);                       \
  template void avg_pool2d_backward<T>(const PoolGeometry&, int64_t, const T*, T*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
#undef TG_INSTANTIATE

}  // namespace tg
