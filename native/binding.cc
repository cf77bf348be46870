// The only N-API surface of tensorgrad. Each entry is a C++ function whose parameter types declare
// the kinds of its JS arguments (see binding/call.h); TG_ENTRIES below lists every entry once with
// its JS name and argument names. Arguments are unwrapped and checked before a body runs; a body
// validates what depends on several arguments (dtypes, lengths, index ranges, overlap), calls one
// kernel, and its C++ errors become JS Errors that name the op. Nothing given from JS may crash
// the process.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "binding/call.h"
#include "binding/layout.h"
#include "kernels/conv/conv.h"
#include "kernels/conv/epilogue.h"
#include "kernels/copy/copy.h"
#include "kernels/dropout/dropout.h"
#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/unary.h"
#include "kernels/gemm/gemm.h"
#include "kernels/index/gather.h"
#include "kernels/index/nonzero.h"
#include "kernels/linear/linear.h"
#include "kernels/loss/cross_entropy.h"
#include "kernels/norm/batch_norm.h"
#include "kernels/norm/group_norm.h"
#include "kernels/norm/local_response_norm.h"
#include "kernels/optim/optim.h"
#include "kernels/pad/pad.h"
#include "kernels/pool/pool2d.h"
#include "kernels/random/random.h"
#include "kernels/reduce/lines.h"
#include "kernels/reduce/reduce.h"
#include "kernels/softmax/softmax.h"
#include "kernels/sort/sort.h"
#include "runtime/cpu.h"
#include "runtime/dtype.h"
#include "runtime/memory.h"
#include "runtime/threadpool.h"

namespace tg {
namespace {

using MaybeArray = std::optional<Array>;
using MaybeI32 = std::optional<I32Array>;

void same_dtype(const Args& a, const Array& x, const Array& y) {
  if (x.dtype != y.dtype)
    type_error(std::string(a.op()) + ": dtypes differ (" + dtype_name(x.dtype) + " and " + dtype_name(y.dtype) + ")");
}

// Indices must lie in [0, D): checked before any kernel dereferences them.
void check_indices(const Args& a, const int32_t* idx, int64_t n, int64_t D, int32_t allowed = -1, bool use_allowed = false) {
  for (int64_t i = 0; i < n; ++i) {
    const int32_t v = idx[i];
    if ((v < 0 || v >= D) && !(use_allowed && v == allowed))
      range_error(std::string(a.op()) + ": index " + std::to_string(v) + " at position " + std::to_string(i) +
                  " is out of range for a dim of size " + std::to_string(D));
  }
}

bool overlaps(const Array& x, const Array& y) {
  const char *xb = static_cast<const char*>(x.data), *yb = static_cast<const char*>(y.data);
  const size_t xs = x.len * (x.dtype == DType::F64 ? 8 : 4), ys = y.len * (y.dtype == DType::F64 ? 8 : 4);
  return xs && ys && xb < yb + ys && yb < xb + xs;
}

// ---- entries ----

// alloc(dtype, n, zero = true): a typed array whose data starts on a 64-byte boundary, in memory V8
// owns and accounts for, so the garbage collector sees native tensor bytes. With zero = false the
// memory is left uninitialised (a Node Buffer's backing store): for outputs a kernel overwrites
// entirely, where zeroing would cost a full extra pass over memory.
TypedArrayResult Alloc(const Args& a, Code<DType> dtype, Size count, std::optional<bool> zeroed) {
  const DType t = dtype;
  const int64_t n = count;
  const bool zero = zeroed.value_or(true);
  const size_t esize = t == DType::F64 ? 8 : 4;
  // The JS constructors throw when memory runs out or a length is too large, where
  // napi_create_arraybuffer/typedarray abort the process; a failure becomes a RangeError.
  auto fail = [&] {
    napi_value ignored;
    napi_get_and_clear_last_exception(a.env(), &ignored);
    range_error(std::string(a.op()) + ": cannot allocate " + std::to_string(n) + " elements of " + dtype_name(t));
  };
  const double bytes = double(n) * double(esize) + 64;
  void* data = nullptr;
  napi_value ctor, view[3], out;
  if (!can_map(size_t(bytes))) fail();  // n <= 2^53 (Size), so bytes fits a size_t
  AllocationBracket bracket{size_t(bytes), zero};
  if (zero) {
    ctor = a.instance().array_buffer_ctor.Value();
    check(napi_create_double(a.env(), bytes, &view[1]), "create_double");
    if (napi_new_instance(a.env(), ctor, 1, &view[1], &view[0]) != napi_ok) fail();
    check(napi_get_arraybuffer_info(a.env(), view[0], &data, nullptr), "arraybuffer_info");
  } else {
    napi_value buf;
    size_t off = 0;
    if (bytes > kMaxSafeInteger || napi_create_buffer(a.env(), size_t(bytes), &data, &buf) != napi_ok) fail();
    check(napi_get_typedarray_info(a.env(), buf, nullptr, nullptr, &data, &view[0], &off), "typedarray_info");
    data = static_cast<char*>(data) - off;  // offsets below are from the ArrayBuffer's start
  }
  bracket.done(data);
  const size_t pad = (64 - reinterpret_cast<uintptr_t>(data) % 64) % 64;
  // The view itself: made directly (a JS constructor call costs ~1 µs, a third of the whole
  // allocation), except for lengths near V8's typed-array limit, where the API would abort
  // instead of throwing.
  static const napi_typedarray_type kTypes[3] = {napi_float32_array, napi_float64_array, napi_int32_array};
  if (n < (int64_t(1) << 30)) {
    if (napi_create_typedarray(a.env(), kTypes[int(t)], size_t(n), view[0], pad, &out) != napi_ok) fail();
    return {out};
  }
  check(napi_create_int64(a.env(), static_cast<int64_t>(pad), &view[1]), "create_int64");
  check(napi_create_double(a.env(), double(n), &view[2]), "create_double");
  ctor = a.instance().typed_array_ctor[int(t)].Value();
  if (napi_new_instance(a.env(), ctor, 3, view, &out) != napi_ok) fail();
  return {out};
}

// release(array): frees the storage now instead of at the next GC. The array becomes empty.
void Release(const Args& a, Array) {
  napi_value ab;
  bool detached = false;
  void* data = nullptr;
  check(napi_get_typedarray_info(a.env(), a.raw(0), nullptr, nullptr, nullptr, &ab, nullptr), "typedarray_info");
  check(napi_get_arraybuffer_info(a.env(), ab, &data, nullptr), "arraybuffer_info");
  // Freeing params would leave every later call reading freed memory.
  if (data != nullptr && data == a.instance().params) type_error(std::string(a.op()) + ": cannot release native.params");
  check(napi_is_detached_arraybuffer(a.env(), ab, &detached), "is_detached");
  if (!detached) check(napi_detach_arraybuffer(a.env(), ab), "detach");
}

void Unary(const Args& a, Strides in, Code<UnaryOp> op, Array x, Array out, double p, double q) {
  same_dtype(a, x, out);
  const Shape s = in.shape();
  const Layout L[2] = {in.operand(0, s, x), in.operand(1, s, out)};
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    unary<T>(op, s, L, x.as<T>(), out.as<T>(), p, q);
  });
}

void UnaryBackward(const Args& a, Strides in, Code<UnaryOp> op, Array x, Array y, Array g, Array out, double p, double q) {
  same_dtype(a, x, y), same_dtype(a, x, g), same_dtype(a, x, out);
  const Shape s = in.shape();
  const Layout L[4] = {in.operand(0, s, x), in.operand(1, s, y), in.operand(2, s, g), in.operand(3, s, out)};
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    unary_backward<T>(op, s, L, x.as<T>(), y.as<T>(), g.as<T>(), out.as<T>(), p, q);
  });
}

void Binary(const Args& a, Strides in, Code<BinaryOp> op, Array x, Array y, Array out) {
  same_dtype(a, x, y), same_dtype(a, x, out);
  const Shape s = in.shape();
  const Layout L[3] = {in.operand(0, s, x), in.operand(1, s, y), in.operand(2, s, out)};
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    binary<T>(op, s, L, x.as<T>(), y.as<T>(), out.as<T>());
  });
}

void Compare(const Args& a, Strides in, Code<CompareOp> op, Array x, Array y, I32Array out) {
  same_dtype(a, x, y);
  const Shape s = in.shape();
  const Layout L[3] = {in.operand(0, s, x), in.operand(1, s, y), in.operand(2, s, out)};
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    compare<T>(op, s, L, x.as<T>(), y.as<T>(), out.as<int32_t>());
  });
}

void BinaryBackward(const Args& a, Strides in, Code<BinaryOp> op, Array x, Array y, Array g, Array gx, Array gy) {
  same_dtype(a, x, y), same_dtype(a, x, g), same_dtype(a, x, gx), same_dtype(a, x, gy);
  const Shape s = in.shape();
  const Layout L[5] = {in.operand(0, s, x), in.operand(1, s, y), in.operand(2, s, g), in.operand(3, s, gx),
                       in.operand(4, s, gy)};
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    binary_backward<T>(op, s, L, x.as<T>(), y.as<T>(), g.as<T>(), gx.as<T>(), gy.as<T>());
  });
}

void Where(const Args& a, Strides in, I32Array c, Array x, Array y, Array out) {
  same_dtype(a, x, y), same_dtype(a, x, out);
  const Shape s = in.shape();
  const Layout L[4] = {in.operand(0, s, c), in.operand(1, s, x), in.operand(2, s, y), in.operand(3, s, out)};
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    where<T>(s, L, c.as<int32_t>(), x.as<T>(), y.as<T>(), out.as<T>());
  });
}

void Copy(const Args& a, Strides in, Array x, Array out) {
  if (overlaps(x, out)) range_error(std::string(a.op()) + ": source and destination overlap");
  const Shape s = in.shape();
  const Layout L[2] = {in.operand(0, s, x), in.operand(1, s, out)};
  visit_dtype(x.dtype, [&](auto ti) {
    visit_dtype(out.dtype, [&](auto to) {
      copy<decltype(ti), decltype(to)>(s, L, x.as<decltype(ti)>(), out.as<decltype(to)>());
    });
  });
}

void Fill(const Args& a, Strides in, Array out, double v) {
  const Shape s = in.shape();
  const Layout L[1] = {in.operand(0, s, out)};
  visit_dtype(out.dtype, [&](auto t) { fill<decltype(t)>(s, L, out.as<decltype(t)>(), v); });
}

void Arange(const Args& a, Array out, double start, double step) {
  visit_dtype(out.dtype, [&](auto t) { arange<decltype(t)>(out.len, out.as<decltype(t)>(), start, step); });
}

// The kernel accumulates into a buffer of outNumel values indexed by the output layout.
void Sum(const Args& a, Strides in, Array x, Array out, Size out_numel, double scale) {
  same_dtype(a, x, out);
  const Shape s = in.shape();
  const Layout L[2] = {in.operand(0, s, x), in.operand(1, s, out)};
  need_len(a, out, L[1].off + out_numel, "output");
  if (s.numel() > 0 && last_element(s, L[1]) - L[1].off >= out_numel)
    range_error(std::string(a.op()) + ": the output layout reaches past outNumel " + std::to_string(out_numel));
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    sum<T>(s, L, x.as<T>(), out.as<T>(), out_numel, scale);
  });
}

// Operands: 0 = x, 1 = values (if given), 2 = indices (if given); kept dims first, then the reduced ones.
void Extreme(const Args& a, Strides in, bool is_max, Size nkeep, Array x, MaybeArray vals, MaybeI32 idx) {
  const Shape s = in.shape();
  if (nkeep > s.nd) range_error(std::string(a.op()) + ": nkeep exceeds ndim");
  for (int i = int(nkeep); i < s.nd; ++i)
    if (s.dim[i] == 0) range_error(std::string(a.op()) + ": cannot reduce over an empty dim");
  Layout L[3] = {in.operand(0, s, x), {}, {}};
  if (vals) same_dtype(a, x, *vals), L[1] = in.operand(1, s, *vals);
  if (idx) L[2] = in.operand(2, s, *idx);
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    extreme<T>(is_max, s, int(nkeep), L, x.as<T>(), vals ? vals->as<T>() : nullptr, idx ? idx->as<int32_t>() : nullptr);
  });
}

// gemm: batched over the layout (the batch dims; each operand's offset and batch strides). The
// matrices' columns are contiguous; transposed views arrive as trans flags, never as copies.
void Gemm(const Args& a, Strides in, Array A, Array B, Array C, bool ta, bool tb, Size M, Size N, Size K, Size lda,
          Size ldb, Size ldc, double alpha, double beta) {
  same_dtype(a, A, B), same_dtype(a, A, C);
  if (C.dtype == DType::I32) type_error(std::string(a.op()) + ": int32 tensors are not supported; convert with .float()");
  if (overlaps(C, A) || overlaps(C, B)) range_error(std::string(a.op()) + ": the output overlaps an input");
  const int64_t ar = ta ? K : M, ac = ta ? M : K, br = tb ? N : K, bc = tb ? K : N;
  if (lda < ac || ldb < bc || ldc < N) range_error(std::string(a.op()) + ": leading dimension smaller than a row");
  const Shape s = in.shape();
  // Each matrix must fit after its batch offset: check the batch layout against the array
  // shortened by the matrix's span.
  auto fit = [&a](Array arr, int64_t rows, int64_t cols, int64_t ld) {
    const int64_t span = rows && cols ? mul_add(rows - 1, ld, cols) : 0;
    if (span < 0) range_error(std::string(a.op()) + ": matrix sizes are too large (their extent overflows)");
    arr.len = static_cast<int64_t>(arr.len) >= span ? arr.len - span + (span ? 1 : 0) : 0;
    return arr;
  };
  const Array Aa = fit(A, ar, ac, lda), Ba = fit(B, br, bc, ldb), Ca = fit(C, M, N, ldc);
  const Layout L[3] = {in.operand(0, s, Aa), in.operand(1, s, Ba), in.operand(2, s, Ca)};
  Collapsed<3> c(s, L);
  int64_t o[3], is[3];
  for (int k = 0; k < 3; ++k) is[k] = c.stride[k][c.nd - 1];
  for (int64_t r = 0; r < c.outer(); ++r) {
    c.row_offsets(r, o);
    for (int64_t i = 0; i < c.inner(); ++i) {
      const int64_t oa = o[0] + i * is[0], ob = o[1] + i * is[1], oc = o[2] + i * is[2];
      if (C.dtype == DType::F32)
        sgemm(ta, tb, M, N, K, float(alpha), A.as<float>() + oa, lda, B.as<float>() + ob, ldb, float(beta), C.as<float>() + oc, ldc);
      else
        dgemm(ta, tb, M, N, K, alpha, A.as<double>() + oa, lda, B.as<double>() + ob, ldb, beta, C.as<double>() + oc, ldc);
    }
  }
}

// An M×K matrix in x: the product is checked without overflowing int64.
void need_matrix(const Args& a, const Array& x, int64_t rows, int64_t cols, const char* what) {
  if (rows != 0 && cols > static_cast<int64_t>(x.len) / rows)
    range_error(std::string(a.op()) + ": " + what + " has " + std::to_string(x.len) + " elements, needs " +
                std::to_string(rows) + "x" + std::to_string(cols));
}

// linear: dense out[M×N] = x[M×K] · w[N×K]ᵀ + b[N], then ReLU if asked.
void Linear(const Args& a, Array x, Array w, MaybeArray b, Array out, Size M, Size N, Size K, bool relu) {
  same_dtype(a, x, w), same_dtype(a, x, out);
  if (x.dtype == DType::I32) type_error(std::string(a.op()) + ": int32 tensors are not supported; convert with .float()");
  need_matrix(a, x, M, K, "input"), need_matrix(a, w, N, K, "weight"), need_matrix(a, out, M, N, "output");
  if (b) same_dtype(a, x, *b), need_len(a, *b, N, "bias");
  if (overlaps(out, x) || overlaps(out, w) || (b && overlaps(out, *b)))
    range_error(std::string(a.op()) + ": the output overlaps an input");
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    linear<T>(M, N, K, x.as<T>(), w.as<T>(), b ? b->as<T>() : nullptr, out.as<T>(), relu);
  });
}

// reluBiasBackward: the fused linear+ReLU layer's gp = g where y > 0 and db = gp summed over rows,
// y, g and gp dense M×N, db of N (or null).
void ReluBiasBackward(const Args& a, Array y, Array g, Array gp, MaybeArray db, Size M, Size N) {
  same_dtype(a, y, g), same_dtype(a, y, gp);
  if (y.dtype == DType::I32) type_error(std::string(a.op()) + ": int32 tensors are not supported; convert with .float()");
  need_matrix(a, y, M, N, "output"), need_matrix(a, g, M, N, "gradient"), need_matrix(a, gp, M, N, "masked gradient");
  if (db) same_dtype(a, y, *db), need_len(a, *db, N, "bias gradient");
  if (overlaps(gp, y) || overlaps(gp, g) || (db && (overlaps(*db, y) || overlaps(*db, g) || overlaps(*db, gp))))
    range_error(std::string(a.op()) + ": an output overlaps an input");
  visit_float_dtype(y.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    relu_bias_backward<T>(M, N, y.as<T>(), g.as<T>(), gp.as<T>(), db ? db->as<T>() : nullptr);
  });
}

// softmax over dense [outer, D, inner] tensors.
void Softmax(const Args& a, bool log, Array x, Array y, Size outer, Size D, Size inner) {
  same_dtype(a, x, y);
  const int64_t n = dense_numel(a, {outer, D, inner});
  need_len(a, x, n, "input"), need_len(a, y, n, "output");
  if (D == 0) return;
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    softmax<T>(log, SoftmaxDims{outer, D, inner}, x.as<T>(), y.as<T>());
  });
}

void SoftmaxBackward(const Args& a, bool log, Array y, Array g, Array gx, Size outer, Size D, Size inner) {
  same_dtype(a, y, g), same_dtype(a, y, gx);
  const int64_t n = dense_numel(a, {outer, D, inner});
  need_len(a, y, n, "output"), need_len(a, g, n, "gradient"), need_len(a, gx, n, "input gradient");
  visit_float_dtype(y.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    softmax_backward<T>(log, SoftmaxDims{outer, D, inner}, y.as<T>(), g.as<T>(), gx.as<T>());
  });
}

// ---- reductions, scans and sorts along the lines of a dense [outer, D, inner] block ----

// The block's dims, with x (and each per-line result array) long enough.
Lines lines_of(const Args& a, const Array& x, int64_t outer, int64_t D, int64_t inner) {
  need_len(a, x, dense_numel(a, {outer, D, inner}), "input");
  return Lines{outer, D, inner};
}

void Variance(const Args& a, Array x, Array mean, Array var, Size outer, Size D, Size inner, double correction) {
  same_dtype(a, x, mean), same_dtype(a, x, var);
  const Lines d = lines_of(a, x, outer, D, inner);
  need_len(a, mean, d.outer * d.inner, "mean"), need_len(a, var, d.outer * d.inner, "var");
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    variance<T>(d, x.as<T>(), mean.as<T>(), var.as<T>(), correction);
  });
}

void VectorNorm(const Args& a, Array x, Array out, Size outer, Size D, Size inner, double p) {
  same_dtype(a, x, out);
  const Lines d = lines_of(a, x, outer, D, inner);
  need_len(a, out, d.outer * d.inner, "output");
  if (p != p) range_error(std::string(a.op()) + ": p must be a number, got NaN");
  if (std::isinf(p) && d.D == 0 && d.outer * d.inner > 0)
    range_error(std::string(a.op()) + ": the ±inf norm of an empty dim is undefined (no max or min)");
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    vector_norm<T>(d, x.as<T>(), out.as<T>(), p);
  });
}

void Logsumexp(const Args& a, Array x, Array out, Size outer, Size D, Size inner) {
  same_dtype(a, x, out);
  const Lines d = lines_of(a, x, outer, D, inner);
  need_len(a, out, d.outer * d.inner, "output");
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    logsumexp<T>(d, x.as<T>(), out.as<T>());
  });
}

void LogsumexpBackward(const Args& a, Array x, Array y, Array g, Array gx, Size outer, Size D, Size inner) {
  same_dtype(a, x, y), same_dtype(a, x, g), same_dtype(a, x, gx);
  const Lines d = lines_of(a, x, outer, D, inner);
  need_len(a, y, d.outer * d.inner, "output"), need_len(a, g, d.outer * d.inner, "gradient");
  need_len(a, gx, d.outer * d.D * d.inner, "input gradient");
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    logsumexp_backward<T>(d, x.as<T>(), y.as<T>(), g.as<T>(), gx.as<T>());
  });
}

void Cumsum(const Args& a, Array x, Array out, Size outer, Size D, Size inner, bool reverse) {
  same_dtype(a, x, out);
  const Lines d = lines_of(a, x, outer, D, inner);
  need_len(a, out, d.outer * d.D * d.inner, "output");
  if (overlaps(x, out)) range_error(std::string(a.op()) + ": the output overlaps the input");
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    cumsum<T>(d, x.as<T>(), out.as<T>(), reverse);
  });
}

// values / indices: [outer, k, inner] blocks (either may be null).
void SortLines(const Args& a, Array x, MaybeArray vals, MaybeI32 idx, Size outer, Size D, Size inner, Size k, bool descending) {
  const Lines d = lines_of(a, x, outer, D, inner);
  if (k > d.D) range_error(std::string(a.op()) + ": k (" + std::to_string(int64_t(k)) + ") exceeds the line length " + std::to_string(d.D));
  if (d.D > 2147483647) range_error(std::string(a.op()) + ": lines longer than 2^31 - 1 elements cannot be indexed in int32");
  const int64_t n = d.outer * k * d.inner;
  if (vals) same_dtype(a, x, *vals), need_len(a, *vals, n, "values");
  if (idx) need_len(a, *idx, n, "indices");
  if (vals && overlaps(x, *vals)) range_error(std::string(a.op()) + ": the output overlaps the input");
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    sort_lines<T>(d, k, descending, x.as<T>(), vals ? vals->as<T>() : nullptr, idx ? idx->as<int32_t>() : nullptr);
  });
}

CrossEntropyArgs ce_args(const Args& a, int64_t N, int64_t C, double ignore, double smoothing, const Array& t) {
  CrossEntropyArgs c{N, C, 0, smoothing};
  if (!(ignore >= -2147483648.0 && ignore <= 2147483647.0) || ignore != static_cast<double>(static_cast<int32_t>(ignore)))
    range_error(std::string(a.op()) + ": ignoreIndex must be an int32, got " + std::to_string(ignore));
  c.ignore = static_cast<int32_t>(ignore);
  if (!(c.smoothing >= 0 && c.smoothing <= 1))
    range_error(std::string(a.op()) + ": label smoothing must be in [0, 1], got " + std::to_string(c.smoothing));
  if (c.C < 1) range_error(std::string(a.op()) + ": need at least one class");
  dense_numel(a, {c.N, c.C});
  need_len(a, t, c.N, "targets");
  check_indices(a, t.as<int32_t>(), c.N, c.C, c.ignore, true);
  return c;
}

void CrossEntropy(const Args& a, Array x, I32Array t, Array loss, MaybeArray probs, Size N, Size C, double ignore,
                  double smoothing) {
  same_dtype(a, x, loss);
  const CrossEntropyArgs c = ce_args(a, N, C, ignore, smoothing, t);
  need_len(a, x, c.N * c.C, "logits"), need_len(a, loss, c.N, "loss");
  if (probs) same_dtype(a, x, *probs), need_len(a, *probs, c.N * c.C, "probs");
  visit_float_dtype(x.dtype, a.op(), [&](auto tt) {
    using T = decltype(tt);
    cross_entropy<T>(c, x.as<T>(), t.as<int32_t>(), loss.as<T>(), probs ? probs->as<T>() : nullptr);
  });
}

void CrossEntropyBackward(const Args& a, Array p, I32Array t, Array g, Array gx, Size N, Size C, double ignore,
                          double smoothing) {
  same_dtype(a, p, g), same_dtype(a, p, gx);
  const CrossEntropyArgs c = ce_args(a, N, C, ignore, smoothing, t);
  need_len(a, p, c.N * c.C, "probs"), need_len(a, g, c.N, "gradient"), need_len(a, gx, c.N * c.C, "input gradient");
  visit_float_dtype(p.dtype, a.op(), [&](auto tt) {
    using T = decltype(tt);
    cross_entropy_backward<T>(c, p.as<T>(), t.as<int32_t>(), g.as<T>(), gx.as<T>());
  });
}

// index kernels over dense tensors (src, idx, dst, outer, D, inner, n). `per_element` says whether idx
// has one entry per result element (gather) or one per slice (indexSelect).
template <class Kernel>
void index_entry(const Args& a, Array src, I32Array idx, Array dst, IndexDims d, bool per_element, bool src_is_result,
                 Kernel k) {
  same_dtype(a, src, dst);
  const int64_t full = dense_numel(a, {d.outer, d.D, d.inner}), part = dense_numel(a, {d.outer, d.n, d.inner});
  const int64_t nidx = per_element ? part : d.n;
  need_len(a, idx, nidx, "index");
  need_len(a, src, src_is_result ? part : full, "source");
  need_len(a, dst, src_is_result ? full : part, "destination");
  check_indices(a, idx.as<int32_t>(), nidx, d.D);
  visit_dtype(src.dtype, [&](auto t) {
    using T = decltype(t);
    k(d, src.as<T>(), idx.as<int32_t>(), dst.as<T>());
  });
}
void IndexSelect(const Args& a, Array src, I32Array idx, Array dst, Size outer, Size D, Size inner, Size n) {
  index_entry(a, src, idx, dst, {outer, D, inner, n}, false, false,
              [](IndexDims d, auto* s, const int32_t* i, auto* o) { index_select(d, s, i, o); });
}
void IndexAdd(const Args& a, Array src, I32Array idx, Array dst, Size outer, Size D, Size inner, Size n) {
  index_entry(a, src, idx, dst, {outer, D, inner, n}, false, true,
              [](IndexDims d, auto* s, const int32_t* i, auto* o) { index_add(d, s, i, o); });
}
void Gather(const Args& a, Array src, I32Array idx, Array dst, Size outer, Size D, Size inner, Size n) {
  index_entry(a, src, idx, dst, {outer, D, inner, n}, true, false,
              [](IndexDims d, auto* s, const int32_t* i, auto* o) { gather(d, s, i, o); });
}
void ScatterAdd(const Args& a, Array src, I32Array idx, Array dst, Size outer, Size D, Size inner, Size n) {
  index_entry(a, src, idx, dst, {outer, D, inner, n}, true, true,
              [](IndexDims d, auto* s, const int32_t* i, auto* o) { scatter_add(d, s, i, o); });
}

// Without out: the number of nonzero elements of x (dense, of shape dims). With out (that many rows of
// dims.len int32 values): their indices, and the count again.
int64_t Nonzero(const Args& a, Array x, MaybeI32 out, I32Array dims) {
  int64_t numel = 1;
  for (size_t d = 0; d < dims.len; ++d) numel *= dims.as<int32_t>()[d];
  if (numel != int64_t(x.len)) range_error(std::string(a.op()) + ": x has " + std::to_string(x.len) + " elements, not the shape's " + std::to_string(numel));
  return visit_dtype(x.dtype, [&](auto t) -> int64_t {
    using T = decltype(t);
    const int64_t k = count_nonzero<T>(numel, x.as<T>());
    if (!out) return k;
    if (int64_t(out->len) != k * int64_t(dims.len)) range_error(std::string(a.op()) + ": out must hold " + std::to_string(k) + " rows");
    nonzero_indices<T>(int(dims.len), dims.as<int32_t>(), numel, x.as<T>(), out->as<int32_t>());
    return k;
  });
}

// Optimizer state: the parameter, its gradient and each state array share dtype and length.
int64_t param_len(const Args& a, const Array& p, const Array& g) {
  same_dtype(a, p, g);
  if (p.len != g.len)
    range_error(std::string(a.op()) + ": parameter has " + std::to_string(p.len) + " elements but its gradient has " + std::to_string(g.len));
  return int64_t(p.len);
}
template <class T>
T* state(const Args& a, const Array& p, const MaybeArray& s) {
  if (!s) return nullptr;
  same_dtype(a, p, *s);
  if (s->len != p.len) range_error(std::string(a.op()) + ": optimizer state has the wrong length");
  return s->as<T>();
}

void SgdStep(const Args& a, Array p, Array g, MaybeArray buf, Finite lr, Finite momentum, Finite dampening,
             Finite weight_decay, bool nesterov, bool first_step, bool maximize) {
  const int64_t n = param_len(a, p, g);
  const SgdArgs s{lr, momentum, dampening, weight_decay, nesterov, first_step, maximize};
  visit_float_dtype(p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    sgd_step<T>(n, p.as<T>(), g.as<T>(), state<T>(a, p, buf), s);
  });
}

// sgdSteps: sgdStep over a whole parameter group in one call; first[i] != 0 where parameter i's momentum
// buffer is new. Every argument is checked before any parameter changes.
void SgdSteps(const Args& a, ArrayList ps, ArrayList gs, ArrayList bufs, I32Array first, Finite lr, Finite momentum,
              Finite dampening, Finite weight_decay, bool nesterov, bool maximize) {
  const size_t n = ps.items.size();
  if (gs.items.size() != n || bufs.items.size() != n || first.len != n)
    range_error(std::string(a.op()) + ": expected as many gradients, buffers and first-step flags as parameters (" +
                std::to_string(n) + ")");
  for (size_t i = 0; i < n; ++i) {
    if (!ps.items[i] || !gs.items[i]) type_error(std::string(a.op()) + ": parameter " + std::to_string(i) + " or its gradient is null");
    param_len(a, *ps.items[i], *gs.items[i]);
    if (double(momentum) != 0 && !bufs.items[i])
      type_error(std::string(a.op()) + ": parameter " + std::to_string(i) + " needs a momentum buffer");
    visit_float_dtype(ps.items[i]->dtype, a.op(), [&](auto t) { state<decltype(t)>(a, *ps.items[i], bufs.items[i]); });
  }
  for (size_t i = 0; i < n; ++i) {
    const Array &p = *ps.items[i], &g = *gs.items[i];
    const SgdArgs s{lr, momentum, dampening, weight_decay, nesterov, first.as<int32_t>()[i] != 0, maximize};
    visit_float_dtype(p.dtype, a.op(), [&](auto t) {
      using T = decltype(t);
      sgd_step<T>(int64_t(p.len), p.as<T>(), g.as<T>(), state<T>(a, p, bufs.items[i]), s);
    });
  }
}

void AdamStep(const Args& a, Array p, Array g, Array m, Array v, MaybeArray vmax, Finite lr, Finite beta1, Finite beta2,
              Finite eps, Finite weight_decay, Count step, bool decoupled, bool amsgrad, bool maximize) {
  const int64_t n = param_len(a, p, g);
  const AdamArgs s{lr, beta1, beta2, eps, weight_decay, step, decoupled, amsgrad, maximize};
  visit_float_dtype(p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    adam_step<T>(n, p.as<T>(), g.as<T>(), state<T>(a, p, m), state<T>(a, p, v), state<T>(a, p, vmax), s);
  });
}

void RmspropStep(const Args& a, Array p, Array g, Array sq, MaybeArray buf, MaybeArray gavg, Finite lr, Finite alpha,
                 Finite eps, Finite weight_decay, Finite momentum, bool centered, bool maximize) {
  const int64_t n = param_len(a, p, g);
  const RmspropArgs s{lr, alpha, eps, weight_decay, momentum, centered, maximize};
  visit_float_dtype(p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    rmsprop_step<T>(n, p.as<T>(), g.as<T>(), state<T>(a, p, sq), state<T>(a, p, buf), state<T>(a, p, gavg), s);
  });
}

void AdagradStep(const Args& a, Array p, Array g, Array sum, Finite lr, Finite lr_decay, Finite weight_decay,
                 Finite eps, Count step, bool maximize) {
  const int64_t n = param_len(a, p, g);
  const AdagradArgs s{lr, lr_decay, weight_decay, eps, step, maximize};
  visit_float_dtype(p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    adagrad_step<T>(n, p.as<T>(), g.as<T>(), state<T>(a, p, sum), s);
  });
}

void ManualSeed(const Args& a, Size seed) { a.instance().rng.seed_with(static_cast<uint64_t>(int64_t(seed))); }

// The random fills write every element of out.
void RandUniform(const Args& a, Array out, Finite lo, Finite hi) {
  visit_float_dtype(out.dtype, a.op(), [&](auto t) { rand_uniform(a.instance().rng, out.len, out.as<decltype(t)>(), lo, hi); });
}
void RandNormal(const Args& a, Array out, Finite mean, Finite sd) {
  visit_float_dtype(out.dtype, a.op(), [&](auto t) { rand_normal(a.instance().rng, out.len, out.as<decltype(t)>(), mean, sd); });
}
void RandInt(const Args& a, I32Array out, Finite lo, Finite hi) {
  if (!(hi > lo) || lo < -2147483648.0 || hi > 2147483648.0)
    range_error(std::string(a.op()) + ": need low < high within int32, got [" + std::to_string(lo) + ", " + std::to_string(hi) + ")");
  rand_int(a.instance().rng, out.len, out.as<int32_t>(), int64_t(lo), int64_t(hi));
}
void RandPerm(const Args& a, I32Array out) { rand_perm(a.instance().rng, out.len, out.as<int32_t>()); }

// ---- layers: pooling, normalisation, dropout, padding (dense NCHW-style buffers) ----

// An optional array of x's dtype with at least n elements; a null pointer when absent.
Array optional_array(const Args& a, const MaybeArray& m, const Array& like, int64_t n, const char* what) {
  if (!m) return Array{like.dtype, 0, nullptr};
  same_dtype(a, like, *m);
  need_len(a, *m, n, what);
  return *m;
}

// Outputs must not share memory with the inputs a kernel reads while writing them.
void no_overlap(const Args& a, const Array& out, std::initializer_list<Array> ins) {
  for (const Array& in : ins)
    if (out.data && in.data && overlaps(out, in)) range_error(std::string(a.op()) + ": an output overlaps an input");
}

enum class PoolKind : int { Max = 0, Avg = 1, AdaptiveMax = 2, AdaptiveAvg = 3, count };

// The geometry, an Int32Array: planes, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW, countIncludePad
// (0/1), divisorOverride (0: none). Windows are computed here, so any sizes from JS stay in bounds.
struct PoolArgs {
  int64_t planes, H, W;
  AxisWindows h, w;
  int64_t divisor_override;
  PoolGeometry geometry() const { return {planes, H, W, h, w}; }
};
PoolArgs pool_args(const Args& a, const I32Array& spec, PoolKind kind) {
  if (spec.len != 15) range_error(std::string(a.op()) + ": the pooling geometry must have 15 entries");
  const int32_t* g = spec.as<int32_t>();
  for (int k = 0; k < 13; ++k)
    if (g[k] < (k >= 5 && (k < 9 || k >= 11) ? 1 : 0))
      range_error(std::string(a.op()) + ": pooling geometry entry " + std::to_string(k) + " is out of range: " + std::to_string(g[k]));
  PoolArgs p;
  p.planes = g[0], p.H = g[1], p.W = g[2], p.divisor_override = g[14];
  const int64_t OH = g[3], OW = g[4];
  if (p.H * p.W > 2147483647) range_error(std::string(a.op()) + ": a plane of more than 2^31 elements cannot be indexed by int32");
  const bool adaptive = kind == PoolKind::AdaptiveMax || kind == PoolKind::AdaptiveAvg;
  if (adaptive && ((OH > 0 && p.H == 0) || (OW > 0 && p.W == 0)))
    range_error(std::string(a.op()) + ": adaptive pooling of an empty plane");
  if (kind == PoolKind::Max) p.h = max_pool_axis(p.H, OH, g[5], g[7], g[9], g[11]), p.w = max_pool_axis(p.W, OW, g[6], g[8], g[10], g[12]);
  if (kind == PoolKind::Avg)
    p.h = avg_pool_axis(p.H, OH, g[5], g[7], g[9], g[13] != 0), p.w = avg_pool_axis(p.W, OW, g[6], g[8], g[10], g[13] != 0);
  if (adaptive) p.h = adaptive_axis(p.H, OH), p.w = adaptive_axis(p.W, OW);
  return p;
}

bool is_max(PoolKind k) { return k == PoolKind::Max || k == PoolKind::AdaptiveMax; }

// pool2d(kind, x, y, idx|null, geometry): idx (max kinds only) receives the arg-max positions.
void Pool2d(const Args& a, Code<PoolKind> kind, Array x, Array y, MaybeI32 idx, I32Array geometry) {
  same_dtype(a, x, y);
  const PoolArgs p = pool_args(a, geometry, kind);
  const int64_t in_n = dense_numel(a, {p.planes, p.H, p.W}), out_n = dense_numel(a, {p.planes, p.h.size(), p.w.size()});
  need_len(a, x, in_n, "input"), need_len(a, y, out_n, "output");
  Array ix{DType::I32, 0, nullptr};
  if (is_max(kind)) {
    if (!idx) type_error(std::string(a.op()) + ": max pooling needs an indices array");
    ix = *idx, need_len(a, ix, out_n, "indices");
  }
  no_overlap(a, y, {x, ix}), no_overlap(a, ix, {x});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (is_max(kind)) max_pool2d<T>(p.geometry(), x.as<T>(), y.as<T>(), ix.as<int32_t>());
    else avg_pool2d<T>(p.geometry(), p.divisor_override, x.as<T>(), y.as<T>());
  });
}

// pool2dBackward(kind, gy, idx|null, gx, geometry): gx is overwritten.
void Pool2dBackward(const Args& a, Code<PoolKind> kind, Array gy, MaybeI32 idx, Array gx, I32Array geometry) {
  same_dtype(a, gy, gx);
  const PoolArgs p = pool_args(a, geometry, kind);
  const int64_t plane = p.H * p.W, in_n = dense_numel(a, {p.planes, p.H, p.W});
  const int64_t out_n = dense_numel(a, {p.planes, p.h.size(), p.w.size()});
  need_len(a, gy, out_n, "output gradient"), need_len(a, gx, in_n, "input gradient");
  Array ix{DType::I32, 0, nullptr};
  if (is_max(kind)) {
    if (!idx) type_error(std::string(a.op()) + ": max pooling needs an indices array");
    ix = *idx, need_len(a, ix, out_n, "indices");
    const int32_t* ip = ix.as<int32_t>();
    for (int64_t i = 0; i < out_n; ++i)
      if (ip[i] < -1 || ip[i] >= plane)
        range_error(std::string(a.op()) + ": index " + std::to_string(ip[i]) + " is outside a plane of " + std::to_string(plane));
  }
  no_overlap(a, gx, {gy, ix});
  visit_float_dtype(gy.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (is_max(kind)) max_pool2d_backward<T>(p.geometry(), gy.as<T>(), ix.as<int32_t>(), gx.as<T>());
    else avg_pool2d_backward<T>(p.geometry(), p.divisor_override, gy.as<T>(), gx.as<T>());
  });
}

double non_negative(const Args& a, double d, const char* name) {
  if (d < 0) range_error(std::string(a.op()) + ": " + name + " must be >= 0, got " + std::to_string(d));
  return d;
}

void BatchNorm(const Args& a, Array x, Array y, MaybeArray weight, MaybeArray bias, MaybeArray run_mean, MaybeArray run_var,
               Array mean, Array invstd, Size N, Size C, Size L, bool training, Finite momentum, Finite eps) {
  same_dtype(a, x, y);
  const BatchNormArgs s{N, C, L, training, momentum, non_negative(a, eps, "eps")};
  const int64_t n = dense_numel(a, {s.N, s.C, s.L});
  need_len(a, x, n, "input"), need_len(a, y, n, "output");
  const Array w = optional_array(a, weight, x, s.C, "weight"), b = optional_array(a, bias, x, s.C, "bias");
  const Array rm = optional_array(a, run_mean, x, s.C, "running mean"), rv = optional_array(a, run_var, x, s.C, "running var");
  same_dtype(a, x, mean), same_dtype(a, x, invstd), need_len(a, mean, s.C, "mean"), need_len(a, invstd, s.C, "invstd");
  if (!training && (!rm.data || !rv.data)) type_error(std::string(a.op()) + ": eval mode needs the running mean and var");
  for (const Array& out : {y, rm, rv, mean, invstd}) no_overlap(a, out, {x, w, b});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    batch_norm<T>(s, x.as<T>(), w.as<T>(), b.as<T>(), rm.as<T>(), rv.as<T>(), y.as<T>(), mean.as<T>(), invstd.as<T>());
  });
}

void BatchNormBackward(const Args& a, Array x, Array g, MaybeArray weight, Array mean, Array invstd, MaybeArray gx_,
                       MaybeArray gw_, MaybeArray gb_, Size N, Size C, Size L, bool training) {
  same_dtype(a, x, g);
  const BatchNormArgs s{N, C, L, training, 0, 0};
  const int64_t n = dense_numel(a, {s.N, s.C, s.L});
  need_len(a, x, n, "input"), need_len(a, g, n, "gradient");
  const Array w = optional_array(a, weight, x, s.C, "weight");
  same_dtype(a, x, mean), same_dtype(a, x, invstd), need_len(a, mean, s.C, "mean"), need_len(a, invstd, s.C, "invstd");
  const Array gx = optional_array(a, gx_, x, n, "input gradient");
  const Array gw = optional_array(a, gw_, x, s.C, "weight gradient"), gb = optional_array(a, gb_, x, s.C, "bias gradient");
  for (const Array& out : {gx, gw, gb}) no_overlap(a, out, {x, g, w, mean, invstd});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    batch_norm_backward<T>(s, x.as<T>(), g.as<T>(), w.as<T>(), mean.as<T>(), invstd.as<T>(), gx.as<T>(), gw.as<T>(),
                           gb.as<T>());
  });
}

GroupNormArgs group_norm_args(const Args& a, int64_t N, int64_t C, int64_t L, int64_t G, double eps) {
  if (C % G != 0) range_error(std::string(a.op()) + ": " + std::to_string(G) + " groups do not divide " + std::to_string(C) + " channels");
  dense_numel(a, {N, C, L});
  return {N, C, L, G, non_negative(a, eps, "eps")};
}

void GroupNorm(const Args& a, Array x, Array y, MaybeArray weight, MaybeArray bias, Array mean, Array rstd, Size N, Size C,
               Size L, Count G, Finite eps) {
  same_dtype(a, x, y);
  const GroupNormArgs s = group_norm_args(a, N, C, L, G, eps);
  const int64_t n = s.N * s.C * s.L;
  need_len(a, x, n, "input"), need_len(a, y, n, "output");
  const Array w = optional_array(a, weight, x, s.C, "weight"), b = optional_array(a, bias, x, s.C, "bias");
  same_dtype(a, x, mean), same_dtype(a, x, rstd), need_len(a, mean, s.N * s.G, "mean"), need_len(a, rstd, s.N * s.G, "rstd");
  for (const Array& out : {y, mean, rstd}) no_overlap(a, out, {x, w, b});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    group_norm<T>(s, x.as<T>(), w.as<T>(), b.as<T>(), y.as<T>(), mean.as<T>(), rstd.as<T>());
  });
}

void GroupNormBackward(const Args& a, Array x, Array g, MaybeArray weight, Array mean, Array rstd, MaybeArray gx_,
                       MaybeArray gw_, MaybeArray gb_, Size N, Size C, Size L, Count G) {
  same_dtype(a, x, g);
  const GroupNormArgs s = group_norm_args(a, N, C, L, G, 0);
  const int64_t n = s.N * s.C * s.L;
  need_len(a, x, n, "input"), need_len(a, g, n, "gradient");
  const Array w = optional_array(a, weight, x, s.C, "weight");
  same_dtype(a, x, mean), same_dtype(a, x, rstd), need_len(a, mean, s.N * s.G, "mean"), need_len(a, rstd, s.N * s.G, "rstd");
  const Array gx = optional_array(a, gx_, x, n, "input gradient");
  const Array gw = optional_array(a, gw_, x, s.C, "weight gradient"), gb = optional_array(a, gb_, x, s.C, "bias gradient");
  for (const Array& out : {gx, gw, gb}) no_overlap(a, out, {x, g, w, mean, rstd});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    group_norm_backward<T>(s, x.as<T>(), g.as<T>(), w.as<T>(), mean.as<T>(), rstd.as<T>(), gx.as<T>(), gw.as<T>(),
                           gb.as<T>());
  });
}

void LocalResponseNorm(const Args& a, Array x, Array y, Array scale, Size N, Size C, Size L, Count size, Finite alpha,
                       Finite beta, Finite k) {
  same_dtype(a, x, y), same_dtype(a, x, scale);
  const LrnArgs s{N, C, L, size, alpha, beta, k};
  const int64_t n = dense_numel(a, {s.N, s.C, s.L});
  need_len(a, x, n, "input"), need_len(a, y, n, "output"), need_len(a, scale, n, "scale");
  no_overlap(a, y, {x, scale}), no_overlap(a, scale, {x});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    local_response_norm<T>(s, x.as<T>(), y.as<T>(), scale.as<T>());
  });
}

void LocalResponseNormBackward(const Args& a, Array x, Array g, Array scale, Array gx, Size N, Size C, Size L, Count size,
                               Finite alpha, Finite beta, Finite k) {
  same_dtype(a, x, g), same_dtype(a, x, scale), same_dtype(a, x, gx);
  const LrnArgs s{N, C, L, size, alpha, beta, k};
  const int64_t n = dense_numel(a, {s.N, s.C, s.L});
  need_len(a, x, n, "input"), need_len(a, g, n, "gradient"), need_len(a, scale, n, "scale"), need_len(a, gx, n, "input gradient");
  no_overlap(a, gx, {x, g, scale});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    local_response_norm_backward<T>(s, x.as<T>(), g.as<T>(), scale.as<T>(), gx.as<T>());
  });
}

// dropout(x, y, mask, outer, inner, p, draw): draw → a fresh mask from the generator; y = x · mask
// (one mask value per outer index). With draw = false it applies the given mask (the backward).
void Dropout(const Args& a, Array x, Array y, Array mask, Size outer, Size inner, Finite p, bool draw) {
  same_dtype(a, x, y), same_dtype(a, x, mask);
  if (p < 0 || p > 1) range_error(std::string(a.op()) + ": p must be in [0, 1], got " + std::to_string(double(p)));
  const int64_t n = dense_numel(a, {outer, inner});
  need_len(a, x, n, "input"), need_len(a, y, n, "output"), need_len(a, mask, outer, "mask");
  no_overlap(a, mask, {x, y}), no_overlap(a, y, {mask});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (draw) rand_keep_mask<T>(a.instance().rng, outer, 1.0 - p, p < 1 ? T(1.0 / (1.0 - p)) : T(0), mask.as<T>());
    apply_mask<T>(outer, inner, x.as<T>(), mask.as<T>(), y.as<T>());
  });
}

// The padding spec: (in, before, after) per padded dim, first to last.
PadDims pad_dims(const Args& a, PadMode mode, int64_t outer, const I32Array& spec) {
  PadDims d;
  d.outer = outer;
  const int64_t k = int64_t(spec.len) / 3;
  if (k < 1 || k > kMaxDims || int64_t(spec.len) != 3 * k)
    range_error(std::string(a.op()) + ": the padding spec must hold (in, before, after) for 1 to 8 dims");
  const int32_t* s = spec.as<int32_t>();
  for (int64_t j = 0; j < k; ++j) {
    const int64_t in = s[3 * j], before = s[3 * j + 1], after = s[3 * j + 2];
    if (in < 0 || in + before + after < 0) range_error(std::string(a.op()) + ": padding makes a negative size");
    if (mode == PadMode::Reflect && (before >= in || after >= in) && (before > 0 || after > 0))
      range_error(std::string(a.op()) + ": reflect padding must be smaller than the dim it pads");
    if (mode == PadMode::Replicate && in == 0 && (before > 0 || after > 0))
      range_error(std::string(a.op()) + ": replicate padding of an empty dim");
    d.in.push_back(in);
    d.out.push_back(in + before + after);
    d.maps.push_back(pad_map(mode, in, before, after));
  }
  int64_t nin = d.outer, nout = d.outer;
  for (int64_t j = 0; j < k; ++j) nin = nin < 0 ? -1 : mul_add(nin, d.in[j], 0), nout = nout < 0 ? -1 : mul_add(nout, d.out[j], 0);
  if (nin < 0 || nout < 0) range_error(std::string(a.op()) + ": sizes are too large (their product overflows)");
  return d;
}

int64_t numel_of(int64_t outer, const std::vector<int64_t>& dims) {
  int64_t n = outer;
  for (int64_t v : dims) n *= v;
  return n;
}

void Pad(const Args& a, Code<PadMode> mode, Array x, Array y, Size outer, I32Array spec, double value) {
  same_dtype(a, x, y);
  const PadDims d = pad_dims(a, mode, outer, spec);
  need_len(a, x, numel_of(d.outer, d.in), "input"), need_len(a, y, numel_of(d.outer, d.out), "output");
  no_overlap(a, y, {x});
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    pad<T>(d, x.as<T>(), y.as<T>(), T(value));
  });
}

void PadBackward(const Args& a, Code<PadMode> mode, Array g, Array gx, Size outer, I32Array spec) {
  same_dtype(a, g, gx);
  const PadDims d = pad_dims(a, mode, outer, spec);
  need_len(a, g, numel_of(d.outer, d.out), "gradient"), need_len(a, gx, numel_of(d.outer, d.in), "input gradient");
  no_overlap(a, gx, {g});
  visit_float_dtype(g.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    pad_backward<T>(d, g.as<T>(), gx.as<T>());
  });
}

// memoryStats(out: Float64Array): the tensor cache's figures in the order requests, hits (cheap
// counters, all a Float64Array(2) gets), then in_use, cached, reserved, peak_reserved, cap.
void MemoryStatsEntry(const Args& a, Array out) {
  if (out.dtype != DType::F64) type_error(std::string(a.op()) + ": out must be a Float64Array");
  need_len(a, out, 2, "out");
  const MemoryStats s = memory_stats(out.len >= 7);
  const double v[7] = {s.requests, s.hits, s.in_use, s.cached, s.reserved, s.peak_reserved, s.cap};
  std::copy(v, v + std::min<size_t>(out.len, 7), out.as<double>());
}
void EmptyCache(const Args&) { empty_cache(); }

// The tensor cache's cap: TENSORGRAD_CACHE_MB, else 512 MiB.
// env TENSORGRAD_CACHE_MB: a whole number of MiB (0 up), else (unset, or not a number) 512.
size_t tensor_cache_cap() {
  const char* env = std::getenv("TENSORGRAD_CACHE_MB");
  char* end = nullptr;
  const long long mb = env && *env ? std::strtoll(env, &end, 10) : 512;
  return size_t(std::clamp<long long>(end && *end ? 512 : mb, 0, 1 << 20)) << 20;
}

// env TENSORGRAD_HUGE_PAGES=0 turns the huge-page advice off.
bool huge_pages_wanted() {
  const char* env = std::getenv("TENSORGRAD_HUGE_PAGES");
  return !(env && std::strcmp(env, "0") == 0);
}

void SetNumThreads(const Args& a, Count n) {
  if (n > kMaxThreads) range_error(std::string(a.op()) + ": at most " + std::to_string(kMaxThreads) + " threads, got " + std::to_string(n));
  set_num_threads(static_cast<int>(n));
}
int64_t GetNumThreads(const Args&) { return num_threads(); }
const char* GetIsa(const Args&) { return isa_name(cpu_isa()); }
// For tests: clamped to what the CPU supports; returns the path now in use.
const char* SetIsa(const Args&, Code<Isa> isa) {
  set_isa(isa);
  return isa_name(cpu_isa());
}

// ---- convolution: dense NCHW operands; the geometry is an Int32Array of 16 entries ----
// n, c, h, w (input), o, kh, kw (weight [o, c/groups, kh, kw]), oh, ow (output), sh, sw, ph, pw, dh, dw, groups.
ConvGeom conv_geom(const Args& a, const I32Array& spec) {
  if (spec.len != 16) range_error(std::string(a.op()) + ": the convolution geometry must have 16 entries");
  static const char* names[16] = {"batch", "channels", "height", "width", "out channels", "kernel height",
                                  "kernel width", "output height", "output width", "stride", "stride", "padding",
                                  "padding", "dilation", "dilation", "groups"};
  const int32_t* v = spec.as<int32_t>();
  for (int i = 0; i < 16; ++i) {
    const int lo = (i >= 9 && i <= 10) || i >= 13 ? 1 : 0;
    if (v[i] < lo) range_error(std::string(a.op()) + ": " + names[i] + " must be >= " + std::to_string(lo) + ", got " + std::to_string(v[i]));
  }
  const ConvGeom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
  if (g.c % g.groups != 0 || g.o % g.groups != 0)
    range_error(std::string(a.op()) + ": groups " + std::to_string(g.groups) + " must divide the channels (" +
                std::to_string(g.c) + " in, " + std::to_string(g.o) + " out)");
  return g;
}

// The three operands of a convolution: an input-shaped x, the weight w and an output-shaped y.
void conv_lengths(const Args& a, const ConvGeom& g, const Array& x, const Array& w, const Array& y) {
  same_dtype(a, x, w), same_dtype(a, x, y);
  need_len(a, x, dense_numel(a, {g.n, g.c, g.h, g.w}), "input");
  need_len(a, w, dense_numel(a, {g.o, g.c / g.groups, g.kh, g.kw}), "weight");
  need_len(a, y, dense_numel(a, {g.n, g.o, g.oh, g.ow}), "output");
}

// conv2d(x, w, b|null, y, geometry, relu): y = conv(x, w) + b, then ReLU if asked (the fused layer).
void Conv2d(const Args& a, Array x, Array w, MaybeArray b, Array y, I32Array geometry, bool relu) {
  const ConvGeom g = conv_geom(a, geometry);
  conv_lengths(a, g, x, w, y);
  if (b) same_dtype(a, x, *b), need_len(a, *b, g.o, "bias"), no_overlap(a, y, {*b});
  no_overlap(a, y, {x, w, geometry});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    conv2d_forward<T>(g, x.as<T>(), w.as<T>(), b ? b->as<T>() : nullptr, y.as<T>(), relu);
  });
}

// convReluBiasBackward(y, g, gp, db|null, N, C, P): the fused conv → ReLU layer's gp = g where y > 0 and
// db = gp summed over images and positions; y, g and gp dense [N, C, P], db of C.
void ConvReluBiasBackward(const Args& a, Array y, Array g, Array gp, MaybeArray db, Size N, Size C, Size P) {
  same_dtype(a, y, g), same_dtype(a, y, gp);
  if (y.dtype == DType::I32) type_error(std::string(a.op()) + ": int32 tensors are not supported; convert with .float()");
  const int64_t n = dense_numel(a, {N, C, P});
  need_len(a, y, n, "output"), need_len(a, g, n, "gradient"), need_len(a, gp, n, "masked gradient");
  if (db) same_dtype(a, y, *db), need_len(a, *db, C, "bias gradient"), no_overlap(a, *db, {y, g, gp});
  no_overlap(a, gp, {y, g});
  visit_float_dtype(y.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    conv::relu_bias_backward_planes<T>(N, C, P, y.as<T>(), g.as<T>(), gp.as<T>(), db ? db->as<T>() : nullptr);
  });
}

// conv2dBackwardInput(dy, w, dx, geometry): dx (overwritten) = the gradient of conv2d w.r.t. its input.
void Conv2dBackwardInput(const Args& a, Array dy, Array w, Array dx, I32Array geometry) {
  const ConvGeom g = conv_geom(a, geometry);
  conv_lengths(a, g, dx, w, dy);
  no_overlap(a, dx, {dy, w, geometry});
  visit_float_dtype(dx.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    conv2d_backward_input<T>(g, dy.as<T>(), w.as<T>(), dx.as<T>());
  });
}

// conv2dBackwardWeight(x, dy, dw, geometry): dw (overwritten) = the gradient of conv2d w.r.t. its weight.
void Conv2dBackwardWeight(const Args& a, Array x, Array dy, Array dw, I32Array geometry) {
  const ConvGeom g = conv_geom(a, geometry);
  conv_lengths(a, g, x, dw, dy);
  no_overlap(a, dw, {x, dy, geometry});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    conv2d_backward_weight<T>(g, x.as<T>(), dy.as<T>(), dw.as<T>());
  });
}

// unfold(x, col, geometry) and fold(col, x, geometry): groups 1, o = c; col is [n, c·kh·kw, oh·ow].
void unfold_entry(const Args& a, const Array& src, const Array& dst, const I32Array& geometry, bool fold_back) {
  const ConvGeom g = conv_geom(a, geometry);
  if (g.groups != 1 || g.o != g.c) range_error(std::string(a.op()) + ": expects groups 1 and o == c");
  same_dtype(a, src, dst);
  need_len(a, fold_back ? dst : src, dense_numel(a, {g.n, g.c, g.h, g.w}), "image");
  need_len(a, fold_back ? src : dst, dense_numel(a, {g.n, g.c, g.kh, g.kw, g.oh, g.ow}), "columns");
  no_overlap(a, dst, {src, geometry});
  visit_float_dtype(src.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (fold_back) fold<T>(g, src.as<T>(), dst.as<T>());
    else unfold<T>(g, src.as<T>(), dst.as<T>());
  });
}
void Unfold(const Args& a, Array x, Array col, I32Array geometry) { unfold_entry(a, x, col, geometry, false); }
void Fold(const Args& a, Array col, Array x, I32Array geometry) { unfold_entry(a, col, x, geometry, true); }

// ---- the entry table: JS name, C++ function, argument names (their kinds are the function's parameter types) ----

#define TG_ENTRIES(X)                                                                                       \
  X(alloc, Alloc, "dtype n zero")                                                                           \
  X(release, Release, "array")                                                                              \
  X(unary, Unary, "op x out a b")                                                                           \
  X(unaryBackward, UnaryBackward, "op x y g out a b")                                                       \
  X(binary, Binary, "op a b out")                                                                           \
  X(compare, Compare, "op a b out")                                                                         \
  X(binaryBackward, BinaryBackward, "op a b g ga gb")                                                       \
  X(where, Where, "cond a b out")                                                                           \
  X(copy, Copy, "x out")                                                                                    \
  X(fill, Fill, "out value")                                                                                \
  X(arange, Arange, "out start step")                                                                       \
  X(sum, Sum, "x out outNumel scale")                                                                       \
  X(extreme, Extreme, "isMax nkeep x values indices")                                                       \
  X(gemm, Gemm, "a b c transA transB M N K lda ldb ldc alpha beta")                                         \
  X(linear, Linear, "x w b out M N K relu")                                                                 \
  X(reluBiasBackward, ReluBiasBackward, "y g gp db M N")                                                    \
  X(softmax, Softmax, "log x y outer D inner")                                                              \
  X(softmaxBackward, SoftmaxBackward, "log y g gx outer D inner")                                           \
  X(variance, Variance, "x mean variance outer D inner correction")                                         \
  X(vectorNorm, VectorNorm, "x out outer D inner p")                                                        \
  X(logsumexp, Logsumexp, "x out outer D inner")                                                            \
  X(logsumexpBackward, LogsumexpBackward, "x y g gx outer D inner")                                         \
  X(cumsum, Cumsum, "x out outer D inner reverse")                                                          \
  X(sortLines, SortLines, "x values indices outer D inner k descending")                                    \
  X(crossEntropy, CrossEntropy, "x targets loss probs N C ignoreIndex smoothing")                           \
  X(crossEntropyBackward, CrossEntropyBackward, "probs targets gRow gx N C ignoreIndex smoothing")          \
  X(indexSelect, IndexSelect, "src idx dst outer D inner n")                                                \
  X(indexAdd, IndexAdd, "src idx dst outer D inner n")                                                      \
  X(gather, Gather, "src idx dst outer D inner n")                                                          \
  X(scatterAdd, ScatterAdd, "src idx dst outer D inner n")                                                  \
  X(nonzero, Nonzero, "x out dims")                                                                          \
  X(sgdStep, SgdStep, "p g buf lr momentum dampening weightDecay nesterov firstStep maximize")              \
  X(sgdSteps, SgdSteps, "params grads bufs first lr momentum dampening weightDecay nesterov maximize")      \
  X(adamStep, AdamStep, "p g m v vmax lr beta1 beta2 eps weightDecay step decoupled amsgrad maximize")      \
  X(rmspropStep, RmspropStep, "p g sq buf gavg lr alpha eps weightDecay momentum centered maximize")        \
  X(adagradStep, AdagradStep, "p g sum lr lrDecay weightDecay eps step maximize")                           \
  X(manualSeed, ManualSeed, "seed")                                                                         \
  X(randUniform, RandUniform, "out low high")                                                               \
  X(randNormal, RandNormal, "out mean std")                                                                 \
  X(randInt, RandInt, "out low high")                                                                       \
  X(randPerm, RandPerm, "out")                                                                              \
  X(pool2d, Pool2d, "kind x y idx geometry")                                                               \
  X(pool2dBackward, Pool2dBackward, "kind gy idx gx geometry")                                              \
  X(batchNorm, BatchNorm, "x y w b runMean runVar mean invstd N C L training momentum eps")                  \
  X(batchNormBackward, BatchNormBackward, "x g w mean invstd gx gw gb N C L training")                      \
  X(groupNorm, GroupNorm, "x y w b mean rstd N C L G eps")                                                  \
  X(groupNormBackward, GroupNormBackward, "x g w mean rstd gx gw gb N C L G")                               \
  X(localResponseNorm, LocalResponseNorm, "x y scale N C L size alpha beta k")                              \
  X(localResponseNormBackward, LocalResponseNormBackward, "x g scale gx N C L size alpha beta k")           \
  X(dropout, Dropout, "x y mask outer inner p draw")                                                        \
  X(pad, Pad, "mode x y outer spec value")                                                                  \
  X(padBackward, PadBackward, "mode g gx outer spec")                                                       \
  X(setNumThreads, SetNumThreads, "n")                                                                      \
  X(getNumThreads, GetNumThreads, "")                                                                       \
  X(getIsa, GetIsa, "")                                                                                     \
  X(setIsa, SetIsa, "isa")                                                                                  \
  X(conv2d, Conv2d, "x w b y geometry relu")                                                                \
  X(convReluBiasBackward, ConvReluBiasBackward, "y g gp db N C P")                                          \
  X(conv2dBackwardInput, Conv2dBackwardInput, "dy w dx geometry")                                           \
  X(conv2dBackwardWeight, Conv2dBackwardWeight, "x dy dw geometry")                                         \
  X(unfold, Unfold, "x col geometry")                                                                       \
  X(fold, Fold, "col x geometry")                                                                           \
  X(memoryStats, MemoryStatsEntry, "out")                                                                   \
  X(emptyCache, EmptyCache, "")

// ---- registration ----

#define TG_WRAP(js, fn, names)                                                    \
  const std::vector<std::string> js##_names = split_names(names);                 \
  napi_value js##_cb(napi_env env, napi_callback_info info) {                     \
    return guarded(env, "tensorgrad." #js, [&] { return invoke(Args(env, info, "tensorgrad." #js, &js##_names), fn); }); \
  }
TG_ENTRIES(TG_WRAP)
#undef TG_WRAP

Napi::Array name_list(Napi::Env env, const char* const* names, int n) {
  Napi::Array arr = Napi::Array::New(env, n);
  for (int i = 0; i < n; ++i) arr.Set(uint32_t(i), names[i]);
  return arr;
}

// Module set-up is not a hot path, so it uses node-addon-api; the entries use the C API directly,
// where each wrapper layer would cost on every call of a tiny op.
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  configure_tensor_cache(tensor_cache_cap(), huge_pages_wanted());
  auto* inst = new Instance();
  env.SetInstanceData(inst);  // deleted with this context; its references release themselves
  Napi::Float64Array params = Napi::Float64Array::New(env, kParamCount);
  inst->params = params.Data();
  inst->params_ref = Napi::Persistent(params);
  Napi::Object global = env.Global();
  inst->array_buffer_ctor = Napi::Persistent(global.Get("ArrayBuffer").As<Napi::Function>());
  const char* typed[3] = {"Float32Array", "Float64Array", "Int32Array"};  // DType order
  for (int t = 0; t < 3; ++t) inst->typed_array_ctor[t] = Napi::Persistent(global.Get(typed[t]).As<Napi::Function>());

  napi_property_descriptor props[] = {
#define TG_PROP(js, fn, names) {#js, nullptr, js##_cb, nullptr, nullptr, nullptr, napi_enumerable, inst},
      TG_ENTRIES(TG_PROP)
#undef TG_PROP
  };
  check(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props), "define_properties");
  Napi::Object specs = Napi::Object::New(env);
#define TG_SPEC(js, fn, names) specs.Set(#js, entry_spec(env, fn, js##_names));
  TG_ENTRIES(TG_SPEC)
#undef TG_SPEC
  exports.Set("entrySpecs", specs);
  exports.Set("params", params);
  exports.Set("unaryOps", name_list(env, kUnaryOpNames, int(UnaryOp::count)));
  exports.Set("binaryOps", name_list(env, kBinaryOpNames, int(BinaryOp::count)));
  exports.Set("compareOps", name_list(env, kCompareOpNames, int(CompareOp::count)));
  Napi::Array unary_reads = Napi::Array::New(env), binary_reads = Napi::Array::New(env);
  for (int i = 0; i < int(UnaryOp::count); ++i) unary_reads.Set(uint32_t(i), kUnaryOpReads[i]);
  for (int i = 0; i < int(BinaryOp::count); ++i) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, kBinaryOpReads[i][0]), pair.Set(1u, kBinaryOpReads[i][1]);
    binary_reads.Set(uint32_t(i), pair);
  }
  exports.Set("unaryReads", unary_reads);
  exports.Set("binaryReads", binary_reads);
  exports.Set("isas", name_list(env, kIsaNames, int(Isa::count)));
  exports.Set("maxDims", kMaxDims);
  exports.Set("maxOperands", kMaxOperands);
  return exports;
}

}  // namespace
}  // namespace tg

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return tg::Init(env, exports); }
NODE_API_MODULE(NODE_GYP_MODULE_NAME, InitAddon)
