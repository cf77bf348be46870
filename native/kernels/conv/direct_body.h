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

// dst[0 .. n) = src[0 .. n) for the short rows of small images, inline: a library call per row of a few dozen
// values cost more than the copy (perf: memmove was a sixth of LeNet's first-layer weight gradient). The last
// chunk ends at n, overlapping the one before.
template <typename T>
inline void copy_row(const T* src, int64_t n, T* dst) {
  constexpr int64_t kChunk = 32 / sizeof(T);
  if (n < kChunk) {
    for (int64_t i = 0; i < n; ++i) dst[i] = src[i];
    return;
  }
  for (int64_t i = 0; i < n - kChunk; i += kChunk) __builtin_memcpy(dst + i, src + i, 32);
  __builtin_memcpy(dst + n - kChunk, src + n - kChunk, 32);
}

// The image's output positions as a flat run q = oh·prow + ow over the padded plane's rows: tap (c, kh, kw)
// of every position is then xpad[c][q + kh·dh·prow + kw·dw], so whole vectors of positions load with one
// unaligned load per tap, across output rows; the lanes with ow >= OW are computed and dropped.
// OB output channels from o0: acc = Σ_k wt[k]·patch_k in patch order (the GEMM's order), then + bias, stored
// as virtual rows of prow values in `out` ([OB][OH·prow]), through ReLU if asked (as the relu op: x < 0 → +0,
// NaN stays NaN).
template <typename T, int OB>
void forward_block(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b, bool relu,
                   int64_t o0, T* out) {
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
        V r = b != nullptr ? acc[o][h] + b[o0 + o] : acc[o][h];
        if (relu) r = r < 0 ? V{} : r;
        __builtin_memcpy(out + o * l.out_len + q0 + h * L, &r, sizeof r);
      }
  }
}

// y [O, OH, OW] of one image; `out` is scratch for 8 channels of virtual rows.
template <typename T>
void forward_image(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* wt, const T* b, bool relu, T* out,
                   T* y) {
  constexpr int kMaxBlock = 8;
  for (int64_t o0 = 0; o0 < g.o; o0 += kMaxBlock) {
    const int64_t ob = std::min<int64_t>(kMaxBlock, g.o - o0);
    switch (ob) {
      case 1: forward_block<T, 1>(g, l, xpad, wt, b, relu, o0, out); break;
      case 2: forward_block<T, 2>(g, l, xpad, wt, b, relu, o0, out); break;
      case 3: forward_block<T, 3>(g, l, xpad, wt, b, relu, o0, out); break;
      case 4: forward_block<T, 4>(g, l, xpad, wt, b, relu, o0, out); break;
      case 5: forward_block<T, 5>(g, l, xpad, wt, b, relu, o0, out); break;
      case 6: forward_block<T, 6>(g, l, xpad, wt, b, relu, o0, out); break;
      case 7: forward_block<T, 7>(g, l, xpad, wt, b, relu, o0, out); break;
      default: forward_block<T, 8>(g, l, xpad, wt, b, relu, o0, out); break;
    }
    for (int64_t o = 0; o < ob; ++o)
      for (int64_t oh = 0; oh < g.oh; ++oh)
        copy_row(out + o * l.out_len + oh * l.prow, g.ow, y + ((o0 + o) * g.oh + oh) * g.ow);
  }
}

// One image's products for the weight gradient of OB output channels, taps kw0 .. kw0+TB of kernel row kh of
// channel c, over the flat positions of forward_block: dypad holds the OB channels of dy as virtual rows of prow
// values whose columns ow >= OW (and the slack after the last row) are zero, which cancels whatever the padded
// input holds there. acc[o·K + k] is a vector of per-lane partial sums, carried across images and summed across
// its lanes only once at the end (by the driver): the lane-wise sum keeps a fixed order (images, then
// positions), and an image no longer pays a cross-lane reduction per weight.
// Positions past the last output row's virtual row are zero in dypad; the loop stops at the vector holding it.
template <typename T, int OB, int TB>
void weight_taps(const DirectLayout& l, int64_t len, const T* xr, int64_t dw, const T* dypad, int64_t K, int64_t k0,
                 T* acc) {
  using V = typename Vec64<T>::V;
  constexpr int L = Vec64<T>::kLanes;
  V a[OB][TB];
  for (int o = 0; o < OB; ++o)
    for (int t = 0; t < TB; ++t) load_vec(a[o][t], acc + ((o * K + k0 + t) * L));
  for (int64_t q0 = 0; q0 < len; q0 += L) {
    V d[OB];
    for (int o = 0; o < OB; ++o) load_vec(d[o], dypad + o * l.out_len + q0);
    for (int t = 0; t < TB; ++t) {
      V xv;
      load_vec(xv, xr + t * dw + q0);
      for (int o = 0; o < OB; ++o) a[o][t] += d[o] * xv;
    }
  }
  for (int o = 0; o < OB; ++o)
    for (int t = 0; t < TB; ++t) __builtin_memcpy(acc + ((o * K + k0 + t) * L), &a[o][t], sizeof(V));
}

// Taps per call of weight_taps: OB + TB vectors in flight and OB·TB sums (4 + 5 + 20 fit AVX-512's 32 registers).
constexpr int kWeightTaps = 5;

template <typename T, int OB>
void weight_channels(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* dypad, T* acc) {
  constexpr int L = Vec64<T>::kLanes;
  const int64_t K = g.c * g.kh * g.kw, len = (g.oh * l.prow + L - 1) / L * L;
  for (int64_t c = 0; c < g.c; ++c)
    for (int64_t kh = 0; kh < g.kh; ++kh)
      for (int64_t kw = 0; kw < g.kw; kw += kWeightTaps) {
        const T* xr = xpad + c * l.plane + kh * g.dh * l.prow + kw * g.dw;
        const int64_t k0 = (c * g.kh + kh) * g.kw + kw;
        switch (std::min<int64_t>(kWeightTaps, g.kw - kw)) {
          case 1: weight_taps<T, OB, 1>(l, len, xr, g.dw, dypad, K, k0, acc); break;
          case 2: weight_taps<T, OB, 2>(l, len, xr, g.dw, dypad, K, k0, acc); break;
          case 3: weight_taps<T, OB, 3>(l, len, xr, g.dw, dypad, K, k0, acc); break;
          case 4: weight_taps<T, OB, 4>(l, len, xr, g.dw, dypad, K, k0, acc); break;
          default: weight_taps<T, OB, 5>(l, len, xr, g.dw, dypad, K, k0, acc); break;
        }
      }
}

// Adds one image's products for `ob` (1 to kMaxWeightBlock) output channels into acc ([ob][patch] vectors).
template <typename T>
void weight_image(const ConvGeom& g, const DirectLayout& l, const T* xpad, const T* dypad, int64_t ob, T* acc) {
  switch (ob) {
    case 1: return weight_channels<T, 1>(g, l, xpad, dypad, acc);
    case 2: return weight_channels<T, 2>(g, l, xpad, dypad, acc);
    case 3: return weight_channels<T, 3>(g, l, xpad, dypad, acc);
    default: return weight_channels<T, 4>(g, l, xpad, dypad, acc);
  }
}

// The input gradient of one image, the adjoint of forward_block: each tap (kh, kw) adds Σ_o w[o, c, kh, kw]·dy[o]
// into the padded input plane of channel c shifted by the tap's offset, CB channels and two vectors of positions at
// a time. dypad holds dy as virtual rows of prow values with zero gaps (so nothing lands from ow >= OW); dxpad
// (zeroed by the caller) receives the padded planes, whose interior is dx. wt holds the weights as [tap][O][C].
// Taps run outermost, so no store is re-read by an overlapping load until a whole sweep later. Each dx element
// sums its taps in (kh, kw) order, each tap over o in order: one fixed order per image.
template <typename T, int CB>
void input_block(const ConvGeom& g, const DirectLayout& l, const T* dypad, const T* wt, int64_t c0, T* dxpad) {
  using V = typename Vec64<T>::V;
  constexpr int L = Vec64<T>::kLanes;
  for (int64_t kh = 0; kh < g.kh; ++kh)
    for (int64_t kw = 0; kw < g.kw; ++kw) {
      const int64_t off = kh * g.dh * l.prow + kw * g.dw;
      const T* wk = wt + (kh * g.kw + kw) * g.o * g.c + c0;
      for (int64_t q0 = 0; q0 < l.out_len; q0 += 2 * L) {
        V acc[CB][2];
        for (int c = 0; c < CB; ++c) acc[c][0] = acc[c][1] = V{};
        for (int64_t o = 0; o < g.o; ++o) {
          V d0, d1;
          load_vec(d0, dypad + o * l.out_len + q0);
          load_vec(d1, dypad + o * l.out_len + q0 + L);
          const T* wo = wk + o * g.c;
          for (int c = 0; c < CB; ++c) {
            acc[c][0] += wo[c] * d0;
            acc[c][1] += wo[c] * d1;
          }
        }
        for (int c = 0; c < CB; ++c)
          for (int h = 0; h < 2; ++h) {
            T* p = dxpad + (c0 + c) * l.plane + off + q0 + h * L;
            V cur;
            load_vec(cur, p);
            cur += acc[c][h];
            __builtin_memcpy(p, &cur, sizeof cur);
          }
      }
    }
}

template <typename T>
void input_image(const ConvGeom& g, const DirectLayout& l, const T* dypad, const T* wt, T* dxpad) {
  constexpr int kMaxBlock = 6;
  for (int64_t c0 = 0; c0 < g.c; c0 += kMaxBlock) {
    switch (std::min<int64_t>(kMaxBlock, g.c - c0)) {
      case 1: input_block<T, 1>(g, l, dypad, wt, c0, dxpad); break;
      case 2: input_block<T, 2>(g, l, dypad, wt, c0, dxpad); break;
      case 3: input_block<T, 3>(g, l, dypad, wt, c0, dxpad); break;
      case 4: input_block<T, 4>(g, l, dypad, wt, c0, dxpad); break;
      case 5: input_block<T, 5>(g, l, dypad, wt, c0, dxpad); break;
      default: input_block<T, 6>(g, l, dypad, wt, c0, dxpad); break;
    }
  }
}
