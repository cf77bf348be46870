#pragma once
// Direct loops for convolutions with a shallow patch (few input channels × a small kernel, as LeNet's first
// layer: 1 channel, 5×5): there the GEMM's depth is too short to pay for packing patches into panels, and its
// 12-row tiles are mostly empty for a handful of output channels. The input is copied once per image into a
// zero-bordered plane, so every tap reads whole vectors of output columns with no bounds checks.
// Forward: each image by one thread. Weight gradient: one partial per image, summed over images in order.
// Both are therefore bit-identical at any thread count.
#include "kernels/conv/conv.h"

namespace tg {
namespace conv {

// Patch depth (channels × taps) up to which the direct loops beat the implicit GEMM.
constexpr int64_t kDirectMaxPatch = 32;
inline bool use_direct(const ConvGeom& g) {
  return g.groups == 1 && g.sh == 1 && g.sw == 1 && g.dh >= 1 && g.dw >= 1 && g.ph >= 0 && g.pw >= 0 &&
         g.taps() > 1 && g.patch() <= kDirectMaxPatch;
}

template <typename T>
void direct_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y);
template <typename T>
void direct_backward_weight(const ConvGeom& g, const T* x, const T* dy, T* dw);

// The loops of one image, compiled once per ISA (direct_body.h). `xpad` is the image's zero-bordered copy
// (direct_layout), `wt` the weights as [patch][O], dy a copy of the image's output gradient with rows of `prow`.
struct DirectLayout {
  int64_t rows, prow;  // a padded plane: `rows` rows of `prow` values
  int64_t out_cols;    // output columns rounded up to whole vectors
};
template <typename T>
using DirectForwardFn = void (*)(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b,
                                 T* y);
template <typename T>
using DirectWeightFn = void (*)(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* dypad, T* dw);

void direct_f32_avx2(DirectForwardFn<float>& f, DirectWeightFn<float>& wgrad);
void direct_f64_avx2(DirectForwardFn<double>& f, DirectWeightFn<double>& wgrad);
void direct_f32_avx512(DirectForwardFn<float>& f, DirectWeightFn<float>& wgrad);
void direct_f64_avx512(DirectForwardFn<double>& f, DirectWeightFn<double>& wgrad);

}  // namespace conv
}  // namespace tg
