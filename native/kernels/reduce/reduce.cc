#include "kernels/reduce/reduce.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "runtime/threadpool.h"

namespace tg {

namespace {

// Eight independent partial sums break the add latency chain; the combine order is fixed.
template <class T>
double sum_contiguous(const T* x, int64_t n) {
  double p[8] = {};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) p[k] += static_cast<double>(x[i + k]);
  for (; i < n; ++i) p[0] += static_cast<double>(x[i]);
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

// Adds columns [i0, i1) of one run of x (inner stride xs) into its accumulators (stride as;
// as == 0: the whole run sums into one).
template <class T>
void add_run(const T* x, int64_t i0, int64_t i1, int64_t xs, double* a, int64_t as) {
  if (as == 0) {
    if (xs == 1) {
      *a += sum_contiguous(x + i0, i1 - i0);
    } else {
      double t = 0;
      for (int64_t i = i0; i < i1; ++i) t += static_cast<double>(x[i * xs]);
      *a += t;
    }
  } else {
    for (int64_t i = i0; i < i1; ++i) a[i * as] += static_cast<double>(x[i * xs]);
  }
}

// Work below this many elements stays on one thread.
constexpr int64_t kReduceGrain = 1 << 17;
// One long run is summed in blocks of this size whatever the thread count, and the block sums are
// added in order, so the bits do not depend on how many threads ran.
constexpr int64_t kSumBlock = 1 << 14;

template <class T>
double sum_blocked(const T* x, int64_t n) {
  const int64_t blocks = (n + kSumBlock - 1) / kSumBlock;
  std::vector<double> part(static_cast<size_t>(blocks));
  parallel_for(blocks, 2, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) part[b] = sum_contiguous(x + b * kSumBlock, std::min(kSumBlock, n - b * kSumBlock));
  });
  double t = 0;
  for (double v : part) t += v;
  return t;
}

// A sum back in the tensor's type. PyTorch sums int32 into int64; without int64, an int32 sum
// that leaves int32's range is an error rather than a wrapped (or, converted from double,
// undefined) value.
template <class T>
T narrow_sum(double v) {
  if constexpr (std::is_integral_v<T>) {
    if (!(v >= -2147483648.0 && v <= 2147483647.0))
      throw std::overflow_error("the int32 sum " + std::to_string(static_cast<long long>(v)) +
                                " does not fit in int32 (PyTorch would return int64); convert with .double() before summing");
  }
  return static_cast<T>(v);
}

}  // namespace

// Threads split only over output elements (whole rows that each reduce into their own output, or
// column ranges of every row), so each output is accumulated in the same order at any thread count.
template <class T>
void sum(const Shape& s, const Layout* L, const T* xp, T* out, int64_t out_numel, double scale) {
  // Small outputs (losses, biases of small layers) accumulate on the stack: no heap allocation.
  double local[256];
  std::vector<double> heap;
  double* acc = local;
  if (out_numel > 256) heap.assign(static_cast<size_t>(out_numel), 0.0), acc = heap.data();
  else std::fill(local, local + out_numel, 0.0);
  Layout la[2] = {L[0], L[1]};
  la[1].off = 0;  // accumulate into acc, indexed like out
  Collapsed<2> c(s, la);
  const int64_t outer = c.outer(), inner = c.inner();
  const int64_t xs = c.stride[0][c.nd - 1], as = c.stride[1][c.nd - 1];
  auto rows = [&](int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
    int64_t o[2];
    for (int64_t r = r0; r < r1; ++r) {
      c.row_offsets(r, o);
      add_run(xp + o[0], i0, i1, xs, acc + o[1], as);
    }
  };
  bool rows_own_outputs = true;  // no outer dim is reduced: every row has its own output(s)
  for (int i = 0; i < c.nd - 1; ++i) rows_own_outputs &= c.stride[1][i] != 0;
  if (outer * inner < 2 * kReduceGrain) {
    rows(0, outer, 0, inner);
  } else if (as == 0 && outer == 1 && xs == 1) {
    *acc = sum_blocked(xp + c.off[0], inner);
  } else if (as == 0 && rows_own_outputs) {
    parallel_for(outer, std::max<int64_t>(1, kReduceGrain / inner), [&](int64_t r0, int64_t r1) { rows(r0, r1, 0, inner); });
  } else if (as != 0) {
    parallel_for(inner, std::max<int64_t>(16, kReduceGrain / outer), [&](int64_t i0, int64_t i1) { rows(0, outer, i0, i1); });
  } else {
    rows(0, outer, 0, inner);
  }
  T* op = out + L[1].off;
  for (int64_t i = 0; i < out_numel; ++i) op[i] = narrow_sum<T>(acc[i] * scale);
}

template <class T>
void extreme(bool is_max, const Shape& s, int nkeep, const Layout* L, const T* xp, T* vals, int32_t* idx) {
  Shape red;
  red.nd = s.nd - nkeep;
  Layout rl;
  for (int i = 0; i < red.nd; ++i) {
    red.dim[i] = s.dim[nkeep + i];
    rl.stride[i] = L[0].stride[nkeep + i];
  }
  Collapsed<1> rc(red, &rl);
  int64_t kept_numel = 1, kidx[kMaxDims] = {};
  for (int i = 0; i < nkeep; ++i) kept_numel *= s.dim[i];
  for (int64_t k = 0; k < kept_numel; ++k) {
    int64_t xo = L[0].off, vo = L[1].off, io = L[2].off;
    for (int i = 0; i < nkeep; ++i) {
      xo += kidx[i] * L[0].stride[i];
      vo += kidx[i] * L[1].stride[i];
      io += kidx[i] * L[2].stride[i];
    }
    T best = xp[xo];
    int64_t best_i = 0, flat = 0;
    for_each_run_serial(rc, 0, rc.outer(), [&](int64_t n, const int64_t* o, const int64_t* is) {
      const T* x = xp + xo + o[0];
      for (int64_t i = 0; i < n; ++i, ++flat) {
        const T v = x[i * is[0]];
        const bool better = is_max ? v > best : v < best;
        if (best == best && (better || v != v)) {
          best = v;
          best_i = flat;
        }
      }
    });
    if (vals) vals[vo] = best;
    if (idx) idx[io] = static_cast<int32_t>(best_i);
    for (int i = nkeep - 1; i >= 0 && ++kidx[i] == s.dim[i]; --i) kidx[i] = 0;
  }
}

#define TG_INSTANTIATE(T)                                                                   \
  template void sum<T>(const Shape&, const Layout*, const T*, T*, int64_t, double);         \
  template void extreme<T>(bool, const Shape&, int, const Layout*, const T*, T*, int32_t*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)
TG_INSTANTIATE(int32_t)
#undef TG_INSTANTIATE

}  // namespace tg
