// Direct convolution drivers (see direct.h): the per-image buffers, the threading and the choice of ISA; the
// loops themselves are in direct_body.h.
#include "kernels/conv/direct.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/conv/claim.h"
#include "kernels/gemm/packing_buffer.h"
#include "runtime/cpu.h"

namespace tg {
namespace conv {
namespace baseline {
#include "kernels/conv/direct_body.h"
}  // namespace baseline

namespace {

// Packing-buffer slots of the direct loops (per thread, reused across calls: no first-touch faults).
constexpr int kPlaneSlot = 3, kOutSlot = 4, kAccSlot = 5, kSharedSlot = 6;
// The most memory the weight gradient's padded images may take at once (the caller thread's buffer, kept).
constexpr int64_t kSharedPadBytes = int64_t(4) << 20;

template <typename T>
DirectLayout layout(const ConvGeom& g) {
  constexpr int64_t L = 64 / sizeof(T);
  const int64_t prow = g.ow + (g.kw - 1) * g.dw, rows = g.oh + (g.kh - 1) * g.dh;
  const int64_t out_len = (g.oh * prow + 2 * L - 1) / (2 * L) * (2 * L);
  return {prow, out_len, std::max(rows * prow, out_len + (g.kh - 1) * g.dh * prow + (g.kw - 1) * g.dw)};
}

// xpad[c][r·prow + q] = x[c][r − ph][q − pw] inside the image, else 0 (the slack after the rows too).
template <typename T>
void pad_image(const ConvGeom& g, const DirectLayout& l, const T* x, T* xpad) {
  const int64_t cols = std::clamp<int64_t>(l.prow - g.pw, 0, g.w);
  std::fill(xpad, xpad + g.c * l.plane, T(0));
  for (int64_t c = 0; c < g.c; ++c)
    for (int64_t ih = 0; ih < g.h; ++ih) {
      const int64_t r = ih + g.ph;
      if (r * l.prow >= l.plane) break;
      baseline::copy_row(x + (c * g.h + ih) * g.w, cols, xpad + c * l.plane + r * l.prow + g.pw);
    }
}

template <typename T>
struct Loops {
  DirectForwardFn<T> forward;
  DirectWeightFn<T> weight;
  DirectInputFn<T> input;
};

template <typename T>
Loops<T> loops() {
  Loops<T> f{baseline::forward_image<T>, baseline::weight_image<T>, baseline::input_image<T>};
  const Isa isa = cpu_isa();
  if constexpr (std::is_same_v<T, float>) {
    if (isa == Isa::Avx512) direct_f32_avx512(f.forward, f.weight, f.input);
    if (isa == Isa::Avx2) direct_f32_avx2(f.forward, f.weight, f.input);
  } else {
    if (isa == Isa::Avx512) direct_f64_avx512(f.forward, f.weight, f.input);
    if (isa == Isa::Avx2) direct_f64_avx2(f.forward, f.weight, f.input);
  }
  return f;
}

// Output channels per weight-gradient task: 4 (the loops' widest block), or 3 where that splits the channels
// evenly and 4 does not (LeNet's 6: two tasks of 3 balance 2 threads).
int64_t weight_block(int64_t o) { return o % kMaxWeightBlock != 0 && o % 3 == 0 ? 3 : kMaxWeightBlock; }

}  // namespace

template <typename T>
void direct_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, bool relu) {
  const DirectLayout l = layout<T>(g);
  const Loops<T> f = loops<T>();
  const int64_t K = g.patch(), HW = g.in_plane(), P = g.out_plane();
  std::vector<T> wt(static_cast<size_t>(K * g.o));  // [patch][O]: one tap's weights side by side
  for (int64_t o = 0; o < g.o; ++o)
    for (int64_t k = 0; k < K; ++k) wt[k * g.o + o] = w[o * K + k];
  for_each_claimed(g.n, [&](int64_t n) {
    T* xpad = gemm::packing_buffer<T, kPlaneSlot>(g.c * l.plane);
    T* out = gemm::packing_buffer<T, kOutSlot>(8 * l.out_len);
    pad_image(g, l, x + n * g.c * HW, xpad);
    f.forward(g, l, xpad, wt.data(), b, relu, out, y + n * g.o * P);
  });
}

template <typename T>
void direct_backward_weight(const ConvGeom& g, const T* x, const T* dy, T* dw) {
  constexpr int64_t L = 64 / sizeof(T);
  const DirectLayout l = layout<T>(g);
  const Loops<T> f = loops<T>();
  const int64_t K = g.patch(), HW = g.in_plane(), ob = weight_block(g.o), tasks = (g.o + ob - 1) / ob;
  // Every task reads every image: with several tasks, the padded images are made once, side by side, when they
  // fit kSharedPadBytes (LeNet's conv2: 4 tasks, each padding all 64 images again cost a fifth of the pass).
  const int64_t image = g.c * l.plane;
  const bool shared = tasks > 1 && g.n * image * int64_t(sizeof(T)) <= kSharedPadBytes;
  T* padded = shared ? gemm::packing_buffer<T, kSharedSlot>(g.n * image) : nullptr;
  if (shared) for_each_claimed(g.n, [&](int64_t n) { pad_image(g, l, x + n * g.c * HW, padded + n * image); });
  for_each_claimed(tasks, [&](int64_t task) {
    const int64_t o0 = task * ob, nb = std::min(ob, g.o - o0);
    T* xpad = shared ? nullptr : gemm::packing_buffer<T, kPlaneSlot>(image);
    T* dypad = gemm::packing_buffer<T, kOutSlot>(nb * l.out_len);
    T* acc = gemm::packing_buffer<T, kAccSlot>(nb * K * L);
    std::fill(acc, acc + nb * K * L, T(0));
    std::fill(dypad, dypad + nb * l.out_len, T(0));  // dy as virtual rows of prow: the gaps stay zero
    for (int64_t n = 0; n < g.n; ++n) {
      if (shared) {
        xpad = padded + n * image;
      } else {
        pad_image(g, l, x + n * g.c * HW, xpad);
      }
      for (int64_t o = 0; o < nb; ++o)
        for (int64_t oh = 0; oh < g.oh; ++oh)
          baseline::copy_row(dy + ((n * g.o + o0 + o) * g.oh + oh) * g.ow, g.ow, dypad + o * l.out_len + oh * l.prow);
      f.weight(g, l, xpad, dypad, nb, acc);
    }
    for (int64_t i = 0; i < nb * K; ++i) {  // each weight's lanes, summed in lane order
      T s = T(0);
      for (int64_t j = 0; j < L; ++j) s += acc[i * L + j];
      dw[o0 * K + i] = s;
    }
  });
}

template <typename T>
void direct_backward_input(const ConvGeom& g, const T* dy, const T* w, T* dx) {
  const DirectLayout l = layout<T>(g);
  const Loops<T> f = loops<T>();
  const int64_t taps = g.taps();
  std::vector<T> wt(static_cast<size_t>(taps * g.o * g.c));  // [tap][O][C]: one tap's weights for c side by side
  for (int64_t o = 0; o < g.o; ++o)
    for (int64_t c = 0; c < g.c; ++c)
      for (int64_t t = 0; t < taps; ++t) wt[(t * g.o + o) * g.c + c] = w[(o * g.c + c) * taps + t];
  for_each_claimed(g.n, [&](int64_t n) {
    T* dypad = gemm::packing_buffer<T, kOutSlot>(g.o * l.out_len);
    T* dxpad = gemm::packing_buffer<T, kPlaneSlot>(g.c * l.plane);
    std::fill(dypad, dypad + g.o * l.out_len, T(0));
    std::fill(dxpad, dxpad + g.c * l.plane, T(0));
    for (int64_t o = 0; o < g.o; ++o)
      for (int64_t oh = 0; oh < g.oh; ++oh)
        baseline::copy_row(dy + ((n * g.o + o) * g.oh + oh) * g.ow, g.ow, dypad + o * l.out_len + oh * l.prow);
    f.input(g, l, dypad, wt.data(), dxpad);
    for (int64_t c = 0; c < g.c; ++c)  // the padded planes' interior
      for (int64_t ih = 0; ih < g.h; ++ih)
        baseline::copy_row(dxpad + c * l.plane + (ih + g.ph) * l.prow + g.pw, g.w, dx + ((n * g.c + c) * g.h + ih) * g.w);
  });
}

template void direct_forward<float>(const ConvGeom&, const float*, const float*, const float*, float*, bool);
template void direct_forward<double>(const ConvGeom&, const double*, const double*, const double*, double*, bool);
template void direct_backward_weight<float>(const ConvGeom&, const float*, const float*, float*);
template void direct_backward_weight<double>(const ConvGeom&, const double*, const double*, double*);
template void direct_backward_input<float>(const ConvGeom&, const float*, const float*, float*);
template void direct_backward_input<double>(const ConvGeom&, const double*, const double*, double*);

}  // namespace conv
}  // namespace tg
