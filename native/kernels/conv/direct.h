#pragma once
// Direct loops for convolutions with a shallow patch (few input channels × a small kernel, as LeNet's first
// layer: 1 channel, 5×5): there the GEMM's depth is too short to pay for packing patches into panels, and its
// 12-row tiles are mostly empty for a handful of output channels. The input is copied once per image into a
// zero-bordered plane, so every tap reads whole vectors of output columns with no bounds checks.
// Forward: each image by one thread (claimed, see claim.h). Weight gradient: each block of output channels by one
// thread, over every image in order. Both are therefore bit-identical at any thread count.
#include "kernels/conv/conv.h"

namespace tg {
namespace conv {

// Stride 1, one group, a kernel of more than one tap, ordinary padding and dilation.
inline bool direct_geometry(const ConvGeom& g) {
  return g.groups == 1 && g.sh == 1 && g.sw == 1 && g.dh >= 1 && g.dw >= 1 && g.ph >= 0 && g.pw >= 0 && g.taps() > 1;
}
// Patch depth (channels × taps) up to which the direct loops beat the implicit GEMM, and the output channel
// count up to which the forward loop does at any depth (a GEMM's 12-row tiles would be mostly padding).
constexpr int64_t kDirectMaxPatch = 32, kDirectMaxOutputs = 16;
inline bool use_direct_forward(const ConvGeom& g) {
  return direct_geometry(g) && (g.patch() <= kDirectMaxPatch || g.o <= kDirectMaxOutputs);
}
// The weight gradient keeps per-lane sums across images and reduces them once, so its cost is the products'
// alone: the same layers as the forward loops.
inline bool use_direct_weight(const ConvGeom& g) { return use_direct_forward(g); }

template <typename T>
void direct_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, bool relu);
template <typename T>
void direct_backward_weight(const ConvGeom& g, const T* x, const T* dy, T* dw);
// The input gradient as the forward loops' adjoint (a scatter of each tap into the padded input planes): for
// layers with few input and output channels, where it does about half the work of the direct forward over a
// zero-padded dy (whose taps mostly read padding) — LeNet's second layer.
// The padded planes must hold the whole input: not so for the adjoint of a transposed convolution with
// outputPadding, whose last input rows or columns no tap reaches (their gradient is zero).
inline bool use_direct_input(const ConvGeom& g) {
  const bool covers = g.oh + (g.kh - 1) * g.dh >= g.h + g.ph && g.ow + (g.kw - 1) * g.dw >= g.w + g.pw;
  return direct_geometry(g) && covers && g.c <= kDirectMaxOutputs && g.o <= kDirectMaxOutputs;
}
template <typename T>
void direct_backward_input(const ConvGeom& g, const T* dy, const T* w, T* dx);

// The loops of one image, compiled once per ISA (direct_body.h). `xpad` is the image's zero-bordered copy,
// channel planes of `plane` values with rows of `prow`; output positions run flat as q = oh·prow + ow over
// `out_len` values (OH·prow rounded up to whole pairs of vectors); `wt` holds the weights as [patch][O].
struct DirectLayout {
  int64_t prow;     // a padded row: W + left and right padding (at least the output row plus the kernel span)
  int64_t out_len;  // flat output positions, whole pairs of vectors
  int64_t plane;    // a padded channel plane, with the zero slack the last vector of the last tap reads
};
template <typename T>
using DirectForwardFn = void (*)(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b,
                                 bool relu, T* out, T* y);
// Adds one image's products for `ob` output channels (1 to kMaxWeightBlock; dypad holds just those) into acc,
// [ob][patch] vectors of 64 bytes of per-lane sums.
template <typename T>
using DirectWeightFn = void (*)(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* dypad, int64_t ob,
                                T* acc);
constexpr int64_t kMaxWeightBlock = 4;
// Adds one image's input gradient into dxpad (zeroed padded planes), from dypad and the weights as [tap][O][C].
template <typename T>
using DirectInputFn = void (*)(const ConvGeom& g, const DirectLayout& l, const T* dypad, const T* wt, T* dxpad);

void direct_f32_avx2(DirectForwardFn<float>& f, DirectWeightFn<float>& wgrad, DirectInputFn<float>& dx);
void direct_f64_avx2(DirectForwardFn<double>& f, DirectWeightFn<double>& wgrad, DirectInputFn<double>& dx);
void direct_f32_avx512(DirectForwardFn<float>& f, DirectWeightFn<float>& wgrad, DirectInputFn<float>& dx);
void direct_f64_avx512(DirectForwardFn<double>& f, DirectWeightFn<double>& wgrad, DirectInputFn<double>& dx);

}  // namespace conv
}  // namespace tg
