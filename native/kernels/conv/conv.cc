// Convolution through the GEMM micro-kernels (see conv.h). The GEMMs run in gemm::blocked_gemm, whose
// callbacks pack the input patches straight into the micro-kernel panels (implicit GEMM): no im2col matrix
// is ever built. A 1×1 convolution reads its input as a plain matrix.
#include "kernels/conv/conv.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/conv/claim.h"
#include "kernels/conv/depthwise.h"
#include "kernels/conv/direct.h"
#include "kernels/conv/epilogue.h"
#include "kernels/conv/im2col.h"
#include "kernels/gemm/blocked.h"
#include "kernels/gemm/gemm.h"
#include "runtime/cpu.h"
#include "runtime/threadpool.h"

namespace tg {
namespace {

using gemm::Ukernel;

// The micro-kernel for a convolution GEMM whose short side is m rows (a layer's output channels): the 8×48
// AVX-512 tile when its rows waste less than the default 12-row tile's (64 channels: 8 full tiles, against 6
// tiles 89 % full). For the forward pass this paid only once the patches were packed from zero-bordered planes
// (48-wide panels cut a 32-column output row into runs of 32 and 16, each a plain copy there): 64→64 3×3 at 32×32,
// CPU per forward −10 % at 1 thread, −13 % at 2, against the 12×32 tile (A/B in one process, load 5).
template <typename T>
Ukernel<T> conv_ukernel(int64_t m) {
  const Ukernel<T> uk = gemm::select_ukernel<T>();
  const auto padded = [m](int64_t mr) { return (m + mr - 1) / mr * mr; };
  if constexpr (std::is_same_v<T, float>) {
    if (cpu_isa() == Isa::Avx512 && padded(8) < padded(uk.mr)) return gemm::ukernel_f32_avx512_8x48();
  }
  return uk;
}

// A 1×1 kernel with stride 1 and no padding: the patch matrix is the input itself.
bool plain_gemm(const ConvGeom& g) {
  return g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0;
}

// Packs output columns [j0, j0+cols) × patch rows [k0, k0+kb) of one image's patch matrix into NR-wide panels.
template <typename T>
void pack_patch_panels(const ConvGeom& g, const Ukernel<T>& uk, const T* x, int64_t j0, int64_t cols,
                       int64_t k0, int64_t kb, T* dst) {
  if (plain_gemm(g)) return uk.pack(true, x + k0 * g.out_plane() + j0, g.out_plane(), cols, kb, uk.nr, dst);
  for (int64_t q = 0; q < cols; q += uk.nr, dst += uk.nr * kb) {
    const int64_t used = std::min<int64_t>(uk.nr, cols - q);
    conv::im2col_rows(g, x, k0, k0 + kb, j0 + q, j0 + q + used, dst, uk.nr);
    if (used < uk.nr)
      for (int64_t k = 0; k < kb; ++k) std::fill(dst + k * uk.nr + used, dst + (k + 1) * uk.nr, T(0));
  }
}

// Packing-buffer slot of an image's zero-bordered planes (the direct loops' planes use it too; the two paths
// never run inside each other).
constexpr int kPaddedSlot = 3;

// One image's channels (of a group) as the patch packing reads them: x itself when the patches stay inside it,
// else zero-bordered copies in this thread's buffer, so the packing copies every run without bounds checks.
template <typename T>
struct PatchImage {
  ConvGeom g;
  const T* x;
};

template <typename T>
PatchImage<T> patch_image(const ConvGeom& g, const T* x) {
  if (conv::patches_inside(g)) return {g, x};
  const ConvGeom p = conv::padded_geometry(g);
  T* xpad = gemm::packing_buffer<T, kPaddedSlot>(g.cg() * p.h * p.w);
  conv::pad_planes(x, g.cg(), g.h, g.w, g.ph, g.pw, p.h, p.w, xpad);
  return {p, xpad};
}

// Runs body(task, panel_begin, panel_end) over tasks × `panels` output column panels. Tasks go to threads
// whole (claimed, see claim.h) when there are enough of them; otherwise each task's columns are split. Either
// way every output element is computed by one call in the same order.
template <class Body>
void over_tasks(int64_t tasks, int64_t panels, int64_t macs_per_panel, const Body& body) {
  if (tasks <= 0 || panels <= 0) return;
  if (tasks >= num_threads() || panels == 1) return conv::for_each_claimed(tasks, [&](int64_t t) { body(t, 0, panels); });
  const int64_t grain = std::max<int64_t>(1, (int64_t(1) << 18) / std::max<int64_t>(macs_per_panel, 1));
  for (int64_t t = 0; t < tasks; ++t) parallel_for(panels, grain, [&](int64_t p0, int64_t p1) { body(t, p0, p1); });
}

void gemm_call(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
               int64_t ldb, float* c, int64_t ldc) {
  sgemm(ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
}
void gemm_call(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda, const double* b,
               int64_t ldb, double* c, int64_t ldc) {
  dgemm(ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, ldc);
}

// The transposed convolution of a stride-1 conv is itself a stride-1 conv over dy: dx[c, h, w] sums
// dy[o, h + ph − kh·dh, w + pw − kw·dw] · w[o, c, kh, kw]. With the taps flipped (kh → KH−1−kh) that is a
// plain correlation with padding (KH−1)·dh − ph and dilation dh, whose weight (per group) has its two channel
// dims swapped and its taps reversed; so the forward drivers, direct loops included, serve it.
ConvGeom transposed_stride1(const ConvGeom& g) {
  return {g.n, g.o, g.oh, g.ow, g.c, g.kh, g.kw, g.h, g.w, 1, 1, (g.kh - 1) * g.dh - g.ph, (g.kw - 1) * g.dw - g.pw,
          g.dh, g.dw, g.groups};
}

template <typename T>
void backward_input_stride1(const ConvGeom& g, const T* dy, const T* w, T* dx) {
  const int64_t cg = g.cg(), og = g.og(), taps = g.taps();
  std::vector<T> wt(static_cast<size_t>(g.o * cg * taps));
  for (int64_t gi = 0; gi < g.groups; ++gi)
    for (int64_t o = 0; o < og; ++o)
      for (int64_t c = 0; c < cg; ++c)
        std::reverse_copy(w + ((gi * og + o) * cg + c) * taps, w + ((gi * og + o) * cg + c + 1) * taps,
                          wt.data() + ((gi * cg + c) * og + o) * taps);
  conv2d_forward<T>(transposed_stride1(g), dy, wt.data(), nullptr, dx, false);
}

// Per image and group, the patch gradients Wᵀ·dy in a buffer, scattered back by col2im.
template <typename T>
void backward_input_scatter(const ConvGeom& g, const T* dy, const T* w, T* dx) {
  const int64_t cg = g.cg(), og = g.og(), K = g.patch(), P = g.out_plane(), HW = g.in_plane();
  parallel_for(g.n * g.groups, 1, [&](int64_t t0, int64_t t1) {
    T* dcol = gemm::packing_buffer<T, 2>(K * P);
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t n = t / g.groups, gi = t % g.groups;
      gemm_call(true, false, K, P, og, w + gi * og * K, K, dy + (n * g.o + gi * og) * P, P, dcol, P);
      T* dxg = dx + (n * g.c + gi * cg) * HW;
      std::fill(dxg, dxg + cg * HW, T(0));
      conv::col2im(g, cg, dcol, dxg);
    }
  });
}

}  // namespace

template <typename T>
void conv2d_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, bool relu) {
  if (conv::use_depthwise(g)) return conv::depthwise_forward(g, x, w, b, y, relu);
  if (conv::use_direct_forward(g)) return conv::direct_forward(g, x, w, b, y, relu);
  const Ukernel<T> uk = conv_ukernel<T>(g.og());
  const int64_t cg = g.cg(), og = g.og(), K = g.patch(), P = g.out_plane(), HW = g.in_plane();
  const int64_t panels = (P + uk.nr - 1) / uk.nr;
  over_tasks(g.n * g.groups, panels, og * K * uk.nr, [&](int64_t t, int64_t q0, int64_t q1) {
    const int64_t n = t / g.groups, gi = t % g.groups;
    const int64_t j0 = q0 * uk.nr, cols = std::min(q1 * uk.nr, P) - j0;
    const PatchImage<T> src = plain_gemm(g) ? PatchImage<T>{g, x + (n * g.c + gi * cg) * HW}
                                            : patch_image(g, x + (n * g.c + gi * cg) * HW);
    const T* wg = w + gi * og * K;
    T* yg = y + (n * g.o + gi * og) * P + j0;
    const T* bg = b != nullptr ? b + gi * og : nullptr;
    gemm::blocked_gemm<T>(
        uk, og, cols, 1, K,
        [&](int64_t i0, int64_t rows, int64_t, int64_t d0, int64_t kb, T* dst) {
          uk.pack(false, wg + i0 * K + d0, K, rows, kb, uk.mr, dst);
        },
        [&](int64_t c0, int64_t nb, int64_t, int64_t d0, int64_t kb, T* dst) {
          pack_patch_panels(src.g, uk, src.x, j0 + c0, nb, d0, kb, dst);
        },
        T(0), yg, P,
        [&](int64_t i0, int64_t rows, int64_t c0, int64_t nb) {  // bias and ReLU on each tile, still in L1
          if (bg != nullptr || relu) conv::bias_relu(yg + i0 * P + c0, P, rows, nb, bg ? bg + i0 : nullptr, relu);
        });
  });
}

// Stride 1 runs as a convolution over dy, whose packing moves O·KH·KW·H·W values per image; the scatter path
// moves C·KH·KW·OH·OW (its GEMM's depth is only O/groups, so it is kept for when it moves far less, or any
// stride > 1) — unless the convolution over dy runs in the direct loops, which pack nothing (few input
// channels, as LeNet's second layer).
template <typename T>
void conv2d_backward_input(const ConvGeom& g, const T* dy, const T* w, T* dx) {
  if (conv::use_depthwise(g)) return conv::depthwise_backward_input(g, dy, w, dx);
  if (conv::use_direct_input(g)) return conv::direct_backward_input(g, dy, w, dx);
  const bool implicit_cheaper = g.c * g.out_plane() * 2 > g.o * g.in_plane();
  if (g.sh == 1 && g.sw == 1 && (implicit_cheaper || conv::use_direct_forward(transposed_stride1(g))))
    return backward_input_stride1(g, dy, w, dx);
  backward_input_scatter(g, dy, w, dx);
}

// dW (per group) = dy · patchesᵀ with the depth running over every image's output positions in turn.
template <typename T>
void conv2d_backward_weight(const ConvGeom& g, const T* x, const T* dy, T* dw) {
  if (conv::use_depthwise(g)) return conv::depthwise_backward_weight(g, x, dy, dw);
  if (conv::use_direct_weight(g)) return conv::direct_backward_weight(g, x, dy, dw);
  const Ukernel<T> uk = conv_ukernel<T>(g.og());
  const int64_t cg = g.cg(), og = g.og(), K = g.patch(), P = g.out_plane(), HW = g.in_plane();
  const int64_t panels = (K + uk.nr - 1) / uk.nr;
  over_tasks(g.groups, panels, og * g.n * P * uk.nr, [&](int64_t gi, int64_t q0, int64_t q1) {
    const int64_t j0 = q0 * uk.nr, cols = std::min(q1 * uk.nr, K) - j0;
    gemm::blocked_gemm<T>(
        uk, og, cols, g.n, P,
        [&](int64_t i0, int64_t rows, int64_t n, int64_t d0, int64_t kb, T* dst) {
          uk.pack(false, dy + (n * g.o + gi * og + i0) * P + d0, P, rows, kb, uk.mr, dst);
        },
        [&](int64_t c0, int64_t nb, int64_t n, int64_t d0, int64_t kb, T* dst) {
          const T* xg = x + (n * g.c + gi * cg) * HW;
          if (plain_gemm(g)) return uk.pack(false, xg + (j0 + c0) * P + d0, P, nb, kb, uk.nr, dst);
          // Patch rows for these columns of dW, then transposed into panels by the GEMM's own packing.
          T* rows = gemm::packing_buffer<T, 2>(nb * kb);
          conv::im2col_rows(g, xg, j0 + c0, j0 + c0 + nb, d0, d0 + kb, rows, kb);
          uk.pack(false, rows, kb, nb, kb, uk.nr, dst);
        },
        T(0), dw + gi * og * K + j0, K);
  });
}

template <typename T>
void unfold(const ConvGeom& g, const T* x, T* col) {
  const int64_t taps = g.taps(), P = g.out_plane(), HW = g.in_plane();
  parallel_for(g.n * g.c, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t n = t / g.c, c = t % g.c;
      conv::im2col_rows(g, x + n * g.c * HW, c * taps, (c + 1) * taps, 0, P, col + t * taps * P, P);
    }
  });
}

template <typename T>
void fold(const ConvGeom& g, const T* col, T* x) {
  const int64_t taps = g.taps(), P = g.out_plane(), HW = g.in_plane();
  parallel_for(g.n * g.c, 1, [&](int64_t t0, int64_t t1) {
    for (int64_t t = t0; t < t1; ++t) {
      std::fill(x + t * HW, x + (t + 1) * HW, T(0));
      conv::col2im(g, 1, col + t * taps * P, x + t * HW);
    }
  });
}

#define TG_CONV_INSTANTIATE(T)                                                         \
  template void conv2d_forward<T>(const ConvGeom&, const T*, const T*, const T*, T*, bool); \
  template void conv2d_backward_input<T>(const ConvGeom&, const T*, const T*, T*);    \
  template void conv2d_backward_weight<T>(const ConvGeom&, const T*, const T*, T*);   \
  template void unfold<T>(const ConvGeom&, const T*, T*);                             \
  template void fold<T>(const ConvGeom&, const T*, T*);
TG_CONV_INSTANTIATE(float)
TG_CONV_INSTANTIATE(double)
#undef TG_CONV_INSTANTIATE

}  // namespace tg
