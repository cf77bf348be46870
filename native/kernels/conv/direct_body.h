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

// OB output channels from o0 over the whole image: acc = Σ_k wt[k]·patch_k in patch order, then + bias.
template <typename T, int OB>
void forward_block(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b, int64_t o0,
                   T* y) {
  using V = typename Vec64<T>::V;
  constexpr int L = Vec64<T>::kLanes;
  const int64_t P = g.oh * g.ow, plane = l.rows * l.prow;
  for (int64_t oh = 0; oh < g.oh; ++oh)
    for (int64_t ow0 = 0; ow0 < g.ow; ow0 += L) {
      V acc[OB];
      for (int o = 0; o < OB; ++o) acc[o] = V{};
      const T* wk = wt + o0;
      for (int64_t c = 0; c < g.c; ++c)
        for (int64_t kh = 0; kh < g.kh; ++kh) {
          const T* xr = xpad + c * plane + (oh + kh * g.dh) * l.prow + ow0;
          for (int64_t kw = 0; kw < g.kw; ++kw, wk += g.o) {
            V xv;
            load_vec(xv, xr + kw * g.dw);
            for (int o = 0; o < OB; ++o) acc[o] += wk[o] * xv;
          }
        }
      const int64_t n = std::min<int64_t>(L, g.ow - ow0);
      for (int o = 0; o < OB; ++o) {
        const V r = b != nullptr ? acc[o] + b[o0 + o] : acc[o];
        T* yo = y + (o0 + o) * P + oh * g.ow + ow0;
        if (n == L) {
          __builtin_memcpy(yo, &r, sizeof r);
        } else {
          for (int64_t j = 0; j < n; ++j) yo[j] = r[j];
        }
      }
    }
}

template <typename T>
void forward_image(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b, T* y) {
  constexpr int kMaxBlock = 8;
  for (int64_t o0 = 0; o0 < g.o; o0 += kMaxBlock) {
    switch (std::min<int64_t>(kMaxBlock, g.o - o0)) {
      case 1: forward_block<T, 1>(g, l, xpad, wt, b, o0, y); break;
      case 2: forward_block<T, 2>(g, l, xpad, wt, b, o0, y); break;
      case 3: forward_block<T, 3>(g, l, xpad, wt, b, o0, y); break;
      case 4: forward_block<T, 4>(g, l, xpad, wt, b, o0, y); break;
      case 5: forward_block<T, 5>(g, l, xpad, wt, b, o0, y); break;
      case 6: forward_block<T, 6>(g, l, xpad, wt, b, o0, y); break;
      case 7: forward_block<T, 7>(g, l, xpad, wt, b, o0, y); break;
      default: forward_block<T, 8>(g, l, xpad, wt, b, o0, y); break;
    }
  }
}

// dw[o, k] (this image's share) = Σ over output positions of dy[o, p]·patch_k[p]: per tap, OB output channels
// accumulate whole vectors over the image, then each vector's lanes are added in lane order. The zero tail of
// each dy row (columns ow..out_cols) cancels whatever the padded input holds there.
template <typename T, int OB>
void weight_block(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* dypad, int64_t o0, T* dw) {
  using V = typename Vec64<T>::V;
  constexpr int L = Vec64<T>::kLanes;
  const int64_t K = g.c * g.kh * g.kw, plane = l.rows * l.prow, dplane = g.oh * l.out_cols;
  int64_t k = 0;
  for (int64_t c = 0; c < g.c; ++c)
    for (int64_t kh = 0; kh < g.kh; ++kh)
      for (int64_t kw = 0; kw < g.kw; ++kw, ++k) {
        V acc[OB];
        for (int o = 0; o < OB; ++o) acc[o] = V{};
        for (int64_t oh = 0; oh < g.oh; ++oh) {
          const T* xr = xpad + c * plane + (oh + kh * g.dh) * l.prow + kw * g.dw;
          const T* dr = dypad + o0 * dplane + oh * l.out_cols;
          for (int64_t ow0 = 0; ow0 < l.out_cols; ow0 += L) {
            V xv, dv;
            load_vec(xv, xr + ow0);
            for (int o = 0; o < OB; ++o) {
              load_vec(dv, dr + o * dplane + ow0);
              acc[o] += dv * xv;
            }
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
