// The direct convolution loops of one image (see direct.h), written once and compiled per ISA: direct.cc
// includes it for baseline code, direct_simd.cc inside AVX2 and AVX-512 target regions, each copy in its own
// namespace so none can replace another at link time. Vectors are GCC vector extensions of 64 bytes, which
// each target lowers to its own registers. No include guard and no namespace on purpose.

template <typename T>
struct Vec64 {
  typedef T V __attribute__((vector_size(64)));
  static constexpr int kLanes = 64 / sizeof(T);
};

// v = p[0 .. lanes) (unaligned); by reference, so no function passes a vector by value across the baseline ABI.
template <typename V, typename T>
inline void load_vec(V& v, const T* p) {
  __builtin_memcpy(&v, p, sizeof v);
}

// The image's output positions as a flat run q = oh·prow + ow over the padded plane's rows: tap (c, kh, kw)
// of every position is then xpad[c][q + kh·dh·prow + kw·dw], so whole vectors of positions load with one
// unaligned load per tap, across output rows; the lanes with ow >= OW are computed and dropped.
// OB output channels from o0: acc = Σ_k wt[k]·patch_k in patch order (the GEMM's order), then + bias, stored
// as virtual rows of prow values in `out` ([OB][OH·prow]).
template <typename T, int OB>
void forward_block(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b, int64_t o0,
                   T* out) {
  using V = typename Vec64<T>::V;
  constexpr int L = Vec64<T>::kLanes;
  // Two vectors of positions at a time: 2·OB independent sums keep both FMA pipes busy through their latency.
  for (int64_t q0 = 0; q0 < l.out_len; q0 += 2 * L) {
    V acc[OB][2];
    for (int o = 0; o < OB; ++o) acc[o][0] = acc[o][1] = V{};
    const T* wk = wt + o0;
    for (int64_t c = 0; c < g.c; ++c)
      for (int64_t kh = 0; kh < g.kh; ++kh) {
        const T* xr = xpad + c * l.plane + kh * g.dh * l.prow + q0;
        for (int64_t kw = 0; kw < g.kw; ++kw, wk += g.o) {
          V x0, x1;
          load_vec(x0, xr + kw * g.dw);
          load_vec(x1, xr + kw * g.dw + L);
          for (int o = 0; o < OB; ++o) {
            acc[o][0] += wk[o] * x0;
            acc[o][1] += wk[o] * x1;
          }
        }
      }
    for (int o = 0; o < OB; ++o)
      for (int h = 0; h < 2; ++h) {
        const V r = b != nullptr ? acc[o][h] + b[o0 + o] : acc[o][h];
        __builtin_memcpy(out + o * l.out_len + q0 + h * L, &r, sizeof r);
      }
  }
}

// y [O, OH, OW] of one image; `out` is scratch for 8 channels of virtual rows.
template <typename T>
void forward_image(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b, T* out, T* y) {
  constexpr int kMaxBlock = 8;
  for (int64_t o0 = 0; o0 < g.o; o0 += kMaxBlock) {
    const int64_t ob = std::min<int64_t>(kMaxBlock, g.o - o0);
    switch (ob) {
      case 1: forward_block<T, 1>(g, l, xpad, wt, b, o0, out); break;
      case 2: forward_block<T, 2>(g, l, xpad, wt, b, o0, out); break;
      case 3: forward_block<T, 3>(g, l, xpad, wt, b, o0, out); break;
      case 4: forward_block<T, 4>(g, l, xpad, wt, b, o0, out); break;
      case 5: forward_block<T, 5>(g, l, xpad, wt, b, o0, out); break;
      case 6: forward_block<T, 6>(g, l, xpad, wt, b, o0, out); break;
      case 7: forward_block<T, 7>(g, l, xpad, wt, b, o0, out); break;
      default: forward_block<T, 8>(g, l, xpad, wt, b, o0, out); break;
    }
    for (int64_t o = 0; o < ob; ++o)
      for (int64_t oh = 0; oh < g.oh; ++oh)
        std::copy_n(out + o * l.out_len + oh * l.prow, g.ow, y + ((o0 + o) * g.oh + oh) * g.ow);
  }
}

// dw[o, k] (this image's share) = Σ over output positions of dy[o, p]·patch_k[p], over the flat positions of
// forward_block: dypad holds dy as virtual rows of prow values whose columns ow >= OW are zero, which cancels
// whatever the padded input holds there. Per tap, OB output channels accumulate whole vectors over the image,
// then each vector's lanes are added in lane order.
template <typename T, int OB>
void weight_block(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* dypad, int64_t o0, T* dw) {
  using V = typename Vec64<T>::V;
  constexpr int L = Vec64<T>::kLanes;
  const int64_t K = g.c * g.kh * g.kw;
  int64_t k = 0;
  for (int64_t c = 0; c < g.c; ++c)
    for (int64_t kh = 0; kh < g.kh; ++kh)
      for (int64_t kw = 0; kw < g.kw; ++kw, ++k) {
        V acc[OB];
        for (int o = 0; o < OB; ++o) acc[o] = V{};
        const T* xr = xpad + c * l.plane + kh * g.dh * l.prow + kw * g.dw;
        const T* dr = dypad + o0 * l.out_len;
        for (int64_t q0 = 0; q0 < l.out_len; q0 += L) {
          V xv, dv;
          load_vec(xv, xr + q0);
          for (int o = 0; o < OB; ++o) {
            load_vec(dv, dr + o * l.out_len + q0);
            acc[o] += dv * xv;
          }
        }
        for (int o = 0; o < OB; ++o) {
          T s = T(0);
          for (int j = 0; j < L; ++j) s += acc[o][j];
          dw[(o0 + o) * K + k] = s;
        }
      }
}

template <typename T>
void weight_image(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* dypad, T* dw) {
  constexpr int kMaxBlock = 4;
  for (int64_t o0 = 0; o0 < g.o; o0 += kMaxBlock) {
    switch (std::min<int64_t>(kMaxBlock, g.o - o0)) {
      case 1: weight_block<T, 1>(g, l, xpad, dypad, o0, dw); break;
      case 2: weight_block<T, 2>(g, l, xpad, dypad, o0, dw); break;
      case 3: weight_block<T, 3>(g, l, xpad, dypad, o0, dw); break;
      default: weight_block<T, 4>(g, l, xpad, dypad, o0, dw); break;
    }
  }
}
