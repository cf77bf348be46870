#pragma once
// Direct loops for depthwise convolutions (one input channel per group, a few outputs each): the GEMM there has
// one to a few rows, so a 12-row micro-kernel tile would be mostly padding. Each output plane (forward), input
// plane (input gradient) or weight row (weight gradient) is summed by one thread in one fixed order.
#include "kernels/conv/conv.h"

namespace tg {
namespace conv {

// The direct loops serve convolutions with one input channel per group and at most this many outputs per group.
constexpr int64_t kDepthwiseMaxMultiplier = 4;
inline bool use_depthwise(const ConvGeom& g) { return g.groups > 1 && g.cg() == 1 && g.og() <= kDepthwiseMaxMultiplier; }

template <typename T>
void depthwise_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, bool relu);
template <typename T>
void depthwise_backward_input(const ConvGeom& g, const T* dy, const T* w, T* dx);
template <typename T>
void depthwise_backward_weight(const ConvGeom& g, const T* x, const T* dy, T* dw);

}  // namespace conv
}  // namespace tg
