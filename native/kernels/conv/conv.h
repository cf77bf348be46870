#pragma once
// 2-D convolution (cross-correlation, as PyTorch) on dense NCHW tensors, as GEMMs through the GEMM micro-kernels.
//   forward:         y[n, o, p]      = b[o] + Σ_k W[o, k] · patch(x_n)[k, p]          (per group)
//   backward_input:  dx[n, c, q]     = Σ_{o,kh,kw} dy[n, o, ...] · W[o, c, kh, kw]      (the transposed conv)
//   backward_weight: dW[o, k]        = Σ_{n,p} dy[n, o, p] · patch(x_n)[k, p]
// k = (c, kh, kw) runs over one group's input channels and the kernel taps; p = (oh, ow) over output positions.
// No im2col matrix is materialised: input patches are packed straight into the micro-kernels' B panels.
// Every result is computed by one thread with a fixed summation order, so results are bit-identical at any
// thread count (work is split over images, groups and output columns, never over a reduction).
#include <cstdint>

namespace tg {

struct ConvGeom {
  int64_t n, c, h, w;     // input x [N, C, H, W]
  int64_t o, kh, kw;      // weight [O, C / groups, KH, KW]
  int64_t oh, ow;         // output spatial size
  int64_t sh, sw;         // stride (>= 1)
  int64_t ph, pw;         // padding (negative only in internal re-expressions)
  int64_t dh, dw;         // dilation (negative only in internal re-expressions)
  int64_t groups;

  int64_t cg() const { return c / groups; }          // input channels per group
  int64_t og() const { return o / groups; }          // output channels per group
  int64_t taps() const { return kh * kw; }
  int64_t patch() const { return cg() * kh * kw; }   // GEMM depth of the forward pass
  int64_t in_plane() const { return h * w; }
  int64_t out_plane() const { return oh * ow; }
};

// y [N, O, OH, OW] = conv(x, w) + b, then ReLU if `relu` (the layer's fused conv → ReLU); b may be null.
template <typename T>
void conv2d_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y, bool relu);

// dx [N, C, H, W] from dy [N, O, OH, OW] and w (dx is overwritten).
template <typename T>
void conv2d_backward_input(const ConvGeom& g, const T* dy, const T* w, T* dx);

// dw [O, C / groups, KH, KW] from x and dy (dw is overwritten).
template <typename T>
void conv2d_backward_weight(const ConvGeom& g, const T* x, const T* dy, T* dw);

// PyTorch's unfold: col [N, C·KH·KW, OH·OW] holds every patch of x (zeros where it reads padding). groups is 1.
template <typename T>
void unfold(const ConvGeom& g, const T* x, T* col);

// PyTorch's fold: x [N, C, H, W] = Σ of the patches in col placed back where unfold took them (x overwritten).
template <typename T>
void fold(const ConvGeom& g, const T* col, T* x);

}  // namespace tg
