#pragma once
// Gathering a convolution's input patches (im2col) and scattering them back (col2im) for one image, the
// building block of unfold, fold and the packing of the convolution GEMMs. Patch row k = (c, kh, kw) over a
// group's channels and kernel taps, column p = (oh, ow) over output positions; the input position read is
// (oh·sh − ph + kh·dh, ow·sw − pw + kw·dw), zero outside the image.
#include <cstdint>

#include "kernels/conv/conv.h"

namespace tg {
namespace conv {

// dst[(k − k0)·ld + (p − p0)] = patch(k, p) for k in [k0, k1), p in [p0, p1); x is the image's first channel
// of the group.
template <typename T>
void im2col_rows(const ConvGeom& g, const T* x, int64_t k0, int64_t k1, int64_t p0, int64_t p1, T* dst,
                 int64_t ld);

// Where every patch read stays inside the image (no padding, and the last output position's taps within
// h × w), im2col_rows copies each run with no bounds checks.
bool patches_inside(const ConvGeom& g);

// g's patches as read from zero-bordered copies of the image's planes: padding 0, and h × w exactly the rows and
// columns the patches reach (so patches_inside holds). Fill those planes with pad_planes(…, result.h, result.w, …).
ConvGeom padded_geometry(const ConvGeom& g);

// xpad[c][r·prow + q] = x[c][r − ph][q − pw] where that lies inside the h × w image, else 0, for `channels`
// planes of rows × prow values each. ph, pw may be negative (leading rows or columns dropped).
template <typename T>
void pad_planes(const T* x, int64_t channels, int64_t h, int64_t w, int64_t ph, int64_t pw, int64_t rows,
                int64_t prow, T* xpad);

// x[c, ih, iw] += col[k, p] for every patch element inside the image, k over `channels`·KH·KW rows. Each
// channel's plane is written in one fixed order.
template <typename T>
void col2im(const ConvGeom& g, int64_t channels, const T* col, T* x);

// The AVX-512 form of im2col_rows for fp32; call only when cpu_isa() allows AVX-512.
void im2col_rows_f32_avx512(const ConvGeom& g, const float* x, int64_t k0, int64_t k1, int64_t p0, int64_t p1,
                            float* dst, int64_t ld);

}  // namespace conv
}  // namespace tg
