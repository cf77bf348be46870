// The only N-API surface of tensorgrad. Each entry unwraps its typed arrays without copying,
// validates every argument (types, dtypes, lengths, index ranges, overlap), calls one kernel
// and turns C++ errors into JS Errors that name the op. Nothing given from JS may crash the
// process.
//
// Layouts (shape, offsets and strides of up to six operands) are not passed as arguments: JS
// writes them into `params`, a Float64Array owned by this addon instance, before the call.
// That keeps a tiny op to one N-API call with only its typed arrays as arguments.
//   params[0] = ndim, params[1..8] = shape, operand k at 9 + 9k: offset, strides[8].
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "kernels/copy/copy.h"
#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/unary.h"
#include "kernels/gemm/gemm.h"
#include "kernels/index/gather.h"
#include "kernels/linear/linear.h"
#include "kernels/loss/cross_entropy.h"
#include "kernels/optim/optim.h"
#include "kernels/random/random.h"
#include "kernels/reduce/reduce.h"
#include "kernels/softmax/softmax.h"
#include "runtime/cpu.h"
#include "runtime/dtype.h"
#include "runtime/memory.h"
#include "runtime/threadpool.h"

namespace tg {
namespace {

constexpr int kParamCount = 128;
constexpr int kMaxOperands = 6;

// Per-instance state: the addon may be loaded by several worker threads at once.
struct Instance {
  Napi::Reference<Napi::Float64Array> params_ref;
  // This context's ArrayBuffer and Float32Array/Float64Array/Int32Array (by DType) constructors, for alloc.
  Napi::FunctionReference array_buffer_ctor;
  Napi::FunctionReference typed_array_ctor[3];
  double* params = nullptr;
  Rng rng;
};

// Thrown for bad input from JS; becomes a JS TypeError/RangeError/Error.
struct ArgError : std::runtime_error {
  const char* kind;
  ArgError(const char* k, const std::string& m) : std::runtime_error(m), kind(k) {}
};
[[noreturn]] void type_error(const std::string& m) { throw ArgError("TypeError", m); }
[[noreturn]] void range_error(const std::string& m) { throw ArgError("RangeError", m); }

void check(napi_status s, const char* what) {
  if (s != napi_ok) throw std::runtime_error(std::string("N-API call failed: ") + what);
}

struct Array {
  DType dtype;
  size_t len = 0;
  void* data = nullptr;
  template <class T>
  T* as() const { return static_cast<T*>(data); }
};

// The arguments of one call, with typed accessors that validate as they unwrap.
class Args {
 public:
  Args(napi_env env, napi_callback_info info, const char* op) : env_(env), op_(op) {
    void* inst = nullptr;
    check(napi_get_cb_info(env, info, &argc_, argv_, nullptr, &inst), "get_cb_info");
    argc_ = std::min<size_t>(argc_, 16);  // N-API reports the true count, which may exceed argv_
    inst_ = static_cast<Instance*>(inst);
  }
  napi_env env() const { return env_; }
  Instance& instance() const { return *inst_; }
  const char* op() const { return op_; }
  size_t count() const { return argc_; }

  napi_value raw(size_t i) const {
    if (i >= argc_) type_error(std::string(op_) + ": missing argument " + std::to_string(i));
    return argv_[i];
  }
  bool is_null(size_t i) const {
    napi_valuetype t;
    check(napi_typeof(env_, raw(i), &t), "typeof");
    return t == napi_null || t == napi_undefined;
  }
  Array array(size_t i) const {
    napi_typedarray_type t;
    Array a;
    // One N-API call: it fails with napi_invalid_arg for anything but a typed array.
    if (napi_get_typedarray_info(env_, raw(i), &t, &a.len, &a.data, nullptr, nullptr) != napi_ok)
      type_error(std::string(op_) + ": argument " + std::to_string(i) + " must be a typed array");
    switch (t) {
      case napi_float32_array: a.dtype = DType::F32; break;
      case napi_float64_array: a.dtype = DType::F64; break;
      case napi_int32_array: a.dtype = DType::I32; break;
      default: type_error(std::string(op_) + ": argument " + std::to_string(i) + " must be a Float32Array, Float64Array or Int32Array");
    }
    return a;
  }
  Array array(size_t i, DType want) const {
    Array a = array(i);
    if (a.dtype != want)
      type_error(std::string(op_) + ": argument " + std::to_string(i) + " must be " + dtype_name(want) + ", got " + dtype_name(a.dtype));
    return a;
  }
  double number(size_t i) const {
    double d;
    if (napi_get_value_double(env_, raw(i), &d) != napi_ok)
      type_error(std::string(op_) + ": argument " + std::to_string(i) + " must be a number");
    return d;
  }
  int64_t integer(size_t i, int64_t lo = 0) const {
    double d = number(i);
    if (!(d >= double(lo) && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<int64_t>(d)))
      range_error(std::string(op_) + ": argument " + std::to_string(i) + " must be an integer >= " + std::to_string(lo) + ", got " + std::to_string(d));
    return static_cast<int64_t>(d);
  }
  bool flag(size_t i) const {
    bool b;
    if (napi_get_value_bool(env_, raw(i), &b) != napi_ok)
      type_error(std::string(op_) + ": argument " + std::to_string(i) + " must be a boolean");
    return b;
  }

 private:
  napi_env env_;
  const char* op_;
  size_t argc_ = 16;
  napi_value argv_[16];
  Instance* inst_ = nullptr;
};

// ---- layouts from params, checked against the arrays they index ----

int64_t checked_int(double d, const char* op, const char* what) {
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<int64_t>(d)))
    range_error(std::string(op) + ": invalid " + what + " " + std::to_string(d));
  return static_cast<int64_t>(d);
}

// x * y + z for non-negative operands, or -1 when it does not fit in int64: sizes from JS reach
// 2^53 each, so their products can wrap and make a huge layout look small.
int64_t mul_add(int64_t x, int64_t y, int64_t z) {
  if (z < 0 || (y != 0 && x > (INT64_MAX - z) / y)) return -1;
  return x * y + z;
}

// The element count of dense dims, or a RangeError when it overflows int64.
int64_t dense_numel(const Args& a, std::initializer_list<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) n = n < 0 ? -1 : mul_add(n, d, 0);
  if (n < 0) range_error(std::string(a.op()) + ": sizes are too large (their product overflows)");
  return n;
}

Shape read_shape(const Args& a) {
  const double* P = a.instance().params;
  Shape s;
  s.nd = static_cast<int>(checked_int(P[0], a.op(), "ndim"));
  if (s.nd > kMaxDims) range_error(std::string(a.op()) + ": at most 8 dims are supported, got " + std::to_string(s.nd));
  int64_t n = 1;
  for (int i = 0; i < s.nd; ++i) {
    s.dim[i] = checked_int(P[1 + i], a.op(), "dim size");
    n = n < 0 ? -1 : mul_add(n, s.dim[i], 0);
  }
  if (n < 0) range_error(std::string(a.op()) + ": shape has too many elements (its product overflows)");
  return s;
}

// Offset of the last element a layout reaches over a non-empty shape, or -1 on overflow.
int64_t last_element(const Shape& s, const Layout& l) {
  int64_t last = l.off;
  for (int i = 0; i < s.nd && last >= 0; ++i) last = mul_add(s.dim[i] - 1, l.stride[i], last);
  return last;
}

// Every element the layout can reach must lie inside the array.
Layout read_layout(const Args& a, int k, const Shape& s, const Array& arr) {
  const double* P = a.instance().params + 9 + 9 * k;
  Layout l;
  l.off = checked_int(P[0], a.op(), "offset");
  for (int i = 0; i < s.nd; ++i) l.stride[i] = checked_int(P[1 + i], a.op(), "stride");
  if (s.numel() == 0) return l;
  const int64_t last = last_element(s, l);
  if (last < 0)
    range_error(std::string(a.op()) + ": operand " + std::to_string(k) + " has a layout whose extent overflows");
  if (last >= static_cast<int64_t>(arr.len))
    range_error(std::string(a.op()) + ": operand " + std::to_string(k) + " reaches element " + std::to_string(last) +
                " of an array of length " + std::to_string(arr.len) + " (was the tensor disposed?)");
  return l;
}

void same_dtype(const Args& a, const Array& x, const Array& y) {
  if (x.dtype != y.dtype)
    type_error(std::string(a.op()) + ": dtypes differ (" + dtype_name(x.dtype) + " and " + dtype_name(y.dtype) + ")");
}

void need_len(const Args& a, const Array& x, int64_t n, const char* what) {
  if (static_cast<int64_t>(x.len) < n)
    range_error(std::string(a.op()) + ": " + what + " has " + std::to_string(x.len) + " elements, needs " + std::to_string(n));
}

template <class E>
E op_code(const Args& a, size_t i, int count) {
  const int64_t v = a.integer(i);
  if (v >= count) range_error(std::string(a.op()) + ": unknown op code " + std::to_string(v));
  return static_cast<E>(v);
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

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

// alloc(dtype, n, zero = true): a typed array whose data starts on a 64-byte boundary, in memory V8
// owns and accounts for, so the garbage collector sees native tensor bytes. With zero = false the
// memory is left uninitialised (a Node Buffer's backing store): for outputs a kernel overwrites
// entirely, where zeroing would cost a full extra pass over memory.
napi_value Alloc(const Args& a) {
  const DType t = op_code<DType>(a, 0, 3);
  const int64_t n = a.integer(1);
  const bool zero = a.count() < 3 || a.flag(2);
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
  const uintptr_t top = before_alloc();
  if (zero) {
    ctor = a.instance().array_buffer_ctor.Value();
    check(napi_create_double(a.env(), bytes, &view[1]), "create_double");
    if (napi_new_instance(a.env(), ctor, 1, &view[1], &view[0]) != napi_ok) fail();
    check(napi_get_arraybuffer_info(a.env(), view[0], &data, nullptr), "arraybuffer_info");
  } else {
    napi_value buf;
    size_t off = 0;
    if (bytes > 9007199254740991.0 || napi_create_buffer(a.env(), size_t(bytes), &data, &buf) != napi_ok) fail();
    check(napi_get_typedarray_info(a.env(), buf, nullptr, nullptr, &data, &view[0], &off), "typedarray_info");
    data = static_cast<char*>(data) - off;  // offsets below are from the ArrayBuffer's start
  }
  after_alloc(top, size_t(bytes));
  const size_t pad = (64 - reinterpret_cast<uintptr_t>(data) % 64) % 64;
  check(napi_create_int64(a.env(), static_cast<int64_t>(pad), &view[1]), "create_int64");
  check(napi_create_double(a.env(), double(n), &view[2]), "create_double");
  ctor = a.instance().typed_array_ctor[int(t)].Value();
  if (napi_new_instance(a.env(), ctor, 3, view, &out) != napi_ok) fail();
  return out;
}

// release(array): frees the storage now instead of at the next GC. The array becomes empty.
napi_value Release(const Args& a) {
  napi_value ab;
  bool detached = false;
  void* data = nullptr;
  a.array(0);
  check(napi_get_typedarray_info(a.env(), a.raw(0), nullptr, nullptr, nullptr, &ab, nullptr), "typedarray_info");
  check(napi_get_arraybuffer_info(a.env(), ab, &data, nullptr), "arraybuffer_info");
  // Freeing params would leave every later call reading freed memory.
  if (data != nullptr && data == a.instance().params) type_error(std::string(a.op()) + ": cannot release native.params");
  check(napi_is_detached_arraybuffer(a.env(), ab, &detached), "is_detached");
  if (!detached) check(napi_detach_arraybuffer(a.env(), ab), "detach");
  return undefined(a.env());
}

// memoryStats(out: Float64Array): the tensor cache's figures in the order requests, hits (cheap
// counters, all a Float64Array(2) gets), then in_use, cached, reserved, peak_reserved, cap.
napi_value MemoryStatsEntry(const Args& a) {
  const Array out = a.array(0, DType::F64);
  need_len(a, out, 2, "out");
  const MemoryStats s = memory_stats(out.len >= 7);
  const double v[7] = {s.requests, s.hits, s.in_use, s.cached, s.reserved, s.peak_reserved, s.cap};
  std::copy(v, v + std::min<size_t>(out.len, 7), out.as<double>());
  return undefined(a.env());
}
napi_value EmptyCache(const Args& a) {
  empty_cache();
  return undefined(a.env());
}

napi_value Unary(const Args& a) {
  const auto op = op_code<UnaryOp>(a, 0, int(UnaryOp::count));
  const Array x = a.array(1), out = a.array(2);
  same_dtype(a, x, out);
  const Shape s = read_shape(a);
  const Layout L[2] = {read_layout(a, 0, s, x), read_layout(a, 1, s, out)};
  const double p = a.number(3), q = a.number(4);
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    unary<T>(op, s, L, x.as<T>(), out.as<T>(), p, q);
  });
  return undefined(a.env());
}

napi_value UnaryBackward(const Args& a) {
  const auto op = op_code<UnaryOp>(a, 0, int(UnaryOp::count));
  const Array x = a.array(1), y = a.array(2), g = a.array(3), out = a.array(4);
  same_dtype(a, x, y), same_dtype(a, x, g), same_dtype(a, x, out);
  const Shape s = read_shape(a);
  const Layout L[4] = {read_layout(a, 0, s, x), read_layout(a, 1, s, y), read_layout(a, 2, s, g), read_layout(a, 3, s, out)};
  const double p = a.number(5), q = a.number(6);
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    unary_backward<T>(op, s, L, x.as<T>(), y.as<T>(), g.as<T>(), out.as<T>(), p, q);
  });
  return undefined(a.env());
}

napi_value Binary(const Args& a) {
  const auto op = op_code<BinaryOp>(a, 0, int(BinaryOp::count));
  const Array x = a.array(1), y = a.array(2), out = a.array(3);
  same_dtype(a, x, y), same_dtype(a, x, out);
  const Shape s = read_shape(a);
  const Layout L[3] = {read_layout(a, 0, s, x), read_layout(a, 1, s, y), read_layout(a, 2, s, out)};
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    binary<T>(op, s, L, x.as<T>(), y.as<T>(), out.as<T>());
  });
  return undefined(a.env());
}

napi_value Compare(const Args& a) {
  const auto op = op_code<CompareOp>(a, 0, int(CompareOp::count));
  const Array x = a.array(1), y = a.array(2), out = a.array(3, DType::I32);
  same_dtype(a, x, y);
  const Shape s = read_shape(a);
  const Layout L[3] = {read_layout(a, 0, s, x), read_layout(a, 1, s, y), read_layout(a, 2, s, out)};
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    compare<T>(op, s, L, x.as<T>(), y.as<T>(), out.as<int32_t>());
  });
  return undefined(a.env());
}

napi_value BinaryBackward(const Args& a) {
  const auto op = op_code<BinaryOp>(a, 0, int(BinaryOp::count));
  const Array x = a.array(1), y = a.array(2), g = a.array(3), gx = a.array(4), gy = a.array(5);
  same_dtype(a, x, y), same_dtype(a, x, g), same_dtype(a, x, gx), same_dtype(a, x, gy);
  const Shape s = read_shape(a);
  const Layout L[5] = {read_layout(a, 0, s, x), read_layout(a, 1, s, y), read_layout(a, 2, s, g),
                       read_layout(a, 3, s, gx), read_layout(a, 4, s, gy)};
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    binary_backward<T>(op, s, L, x.as<T>(), y.as<T>(), g.as<T>(), gx.as<T>(), gy.as<T>());
  });
  return undefined(a.env());
}

napi_value Where(const Args& a) {
  const Array c = a.array(0, DType::I32), x = a.array(1), y = a.array(2), out = a.array(3);
  same_dtype(a, x, y), same_dtype(a, x, out);
  const Shape s = read_shape(a);
  const Layout L[4] = {read_layout(a, 0, s, c), read_layout(a, 1, s, x), read_layout(a, 2, s, y), read_layout(a, 3, s, out)};
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    where<T>(s, L, c.as<int32_t>(), x.as<T>(), y.as<T>(), out.as<T>());
  });
  return undefined(a.env());
}

napi_value Copy(const Args& a) {
  const Array x = a.array(0), out = a.array(1);
  if (overlaps(x, out)) range_error(std::string(a.op()) + ": source and destination overlap");
  const Shape s = read_shape(a);
  const Layout L[2] = {read_layout(a, 0, s, x), read_layout(a, 1, s, out)};
  visit_dtype(x.dtype, [&](auto ti) {
    visit_dtype(out.dtype, [&](auto to) {
      copy<decltype(ti), decltype(to)>(s, L, x.as<decltype(ti)>(), out.as<decltype(to)>());
    });
  });
  return undefined(a.env());
}

napi_value Fill(const Args& a) {
  const Array out = a.array(0);
  const Shape s = read_shape(a);
  const Layout L[1] = {read_layout(a, 0, s, out)};
  const double v = a.number(1);
  visit_dtype(out.dtype, [&](auto t) { fill<decltype(t)>(s, L, out.as<decltype(t)>(), v); });
  return undefined(a.env());
}

napi_value Arange(const Args& a) {
  const Array out = a.array(0);
  const double start = a.number(1), step = a.number(2);
  visit_dtype(out.dtype, [&](auto t) { arange<decltype(t)>(out.len, out.as<decltype(t)>(), start, step); });
  return undefined(a.env());
}

napi_value Sum(const Args& a) {
  const Array x = a.array(0), out = a.array(1);
  same_dtype(a, x, out);
  const int64_t out_numel = a.integer(2);
  const double scale = a.number(3);
  const Shape s = read_shape(a);
  const Layout L[2] = {read_layout(a, 0, s, x), read_layout(a, 1, s, out)};
  need_len(a, out, L[1].off + out_numel, "output");
  // The kernel accumulates into a buffer of outNumel values indexed by the output layout.
  if (s.numel() > 0 && last_element(s, L[1]) - L[1].off >= out_numel)
    range_error(std::string(a.op()) + ": the output layout reaches past outNumel " + std::to_string(out_numel));
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    sum<T>(s, L, x.as<T>(), out.as<T>(), out_numel, scale);
  });
  return undefined(a.env());
}

napi_value Extreme(const Args& a) {
  const bool is_max = a.flag(0);
  const int64_t nkeep = a.integer(1);
  const Array x = a.array(2);
  const Shape s = read_shape(a);
  if (nkeep > s.nd) range_error(std::string(a.op()) + ": nkeep exceeds ndim");
  for (int i = int(nkeep); i < s.nd; ++i)
    if (s.dim[i] == 0) range_error(std::string(a.op()) + ": cannot reduce over an empty dim");
  const bool want_vals = !a.is_null(3), want_idx = !a.is_null(4);
  Array vals, idx;
  Layout L[3] = {read_layout(a, 0, s, x), {}, {}};
  if (want_vals) vals = a.array(3), same_dtype(a, x, vals), L[1] = read_layout(a, 1, s, vals);
  if (want_idx) idx = a.array(4, DType::I32), L[2] = read_layout(a, 2, s, idx);
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    extreme<T>(is_max, s, int(nkeep), L, x.as<T>(), want_vals ? vals.as<T>() : nullptr,
               want_idx ? idx.as<int32_t>() : nullptr);
  });
  return undefined(a.env());
}

// gemm(A, B, C, transA, transB, M, N, K, lda, ldb, ldc, alpha, beta): batched over the layout in
// params (the batch dims; each operand's offset and batch strides). The matrices' columns are
// contiguous; transposed views arrive as trans flags, never as copies.
napi_value Gemm(const Args& a) {
  const Array A = a.array(0), B = a.array(1), C = a.array(2);
  same_dtype(a, A, B), same_dtype(a, A, C);
  if (C.dtype == DType::I32) type_error(std::string(a.op()) + ": int32 tensors are not supported; convert with .float()");
  if (overlaps(C, A) || overlaps(C, B)) range_error(std::string(a.op()) + ": the output overlaps an input");
  const bool ta = a.flag(3), tb = a.flag(4);
  const int64_t M = a.integer(5), N = a.integer(6), K = a.integer(7);
  const int64_t lda = a.integer(8), ldb = a.integer(9), ldc = a.integer(10);
  const double alpha = a.number(11), beta = a.number(12);
  const int64_t ar = ta ? K : M, ac = ta ? M : K, br = tb ? N : K, bc = tb ? K : N;
  if (lda < ac || ldb < bc || ldc < N) range_error(std::string(a.op()) + ": leading dimension smaller than a row");
  const Shape s = read_shape(a);
  // Each matrix must fit after its batch offset: check the batch layout against the array
  // shortened by the matrix's span.
  auto fit = [&a](Array arr, int64_t rows, int64_t cols, int64_t ld) {
    const int64_t span = rows && cols ? mul_add(rows - 1, ld, cols) : 0;
    if (span < 0) range_error(std::string(a.op()) + ": matrix sizes are too large (their extent overflows)");
    arr.len = static_cast<int64_t>(arr.len) >= span ? arr.len - span + (span ? 1 : 0) : 0;
    return arr;
  };
  const Array Aa = fit(A, ar, ac, lda), Ba = fit(B, br, bc, ldb), Ca = fit(C, M, N, ldc);
  const Layout L[3] = {read_layout(a, 0, s, Aa), read_layout(a, 1, s, Ba), read_layout(a, 2, s, Ca)};
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
  return undefined(a.env());
}

// An M×K matrix in x: the product is checked without overflowing int64.
void need_matrix(const Args& a, const Array& x, int64_t rows, int64_t cols, const char* what) {
  if (rows != 0 && cols > static_cast<int64_t>(x.len) / rows)
    range_error(std::string(a.op()) + ": " + what + " has " + std::to_string(x.len) + " elements, needs " +
                std::to_string(rows) + "x" + std::to_string(cols));
}

// linear(x, w, b|null, out, M, N, K, relu): dense out[M×N] = x[M×K] · w[N×K]ᵀ + b[N], then ReLU if asked.
napi_value Linear(const Args& a) {
  const Array x = a.array(0), w = a.array(1), out = a.array(3);
  same_dtype(a, x, w), same_dtype(a, x, out);
  if (x.dtype == DType::I32) type_error(std::string(a.op()) + ": int32 tensors are not supported; convert with .float()");
  const int64_t M = a.integer(4), N = a.integer(5), K = a.integer(6);
  const bool relu = a.flag(7);
  need_matrix(a, x, M, K, "input"), need_matrix(a, w, N, K, "weight"), need_matrix(a, out, M, N, "output");
  const bool has_bias = !a.is_null(2);
  Array b;
  if (has_bias) b = a.array(2), same_dtype(a, x, b), need_len(a, b, N, "bias");
  if (overlaps(out, x) || overlaps(out, w) || (has_bias && overlaps(out, b)))
    range_error(std::string(a.op()) + ": the output overlaps an input");
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    linear<T>(M, N, K, x.as<T>(), w.as<T>(), has_bias ? b.as<T>() : nullptr, out.as<T>(), relu);
  });
  return undefined(a.env());
}

SoftmaxDims softmax_dims(const Args& a, size_t i) {
  return {a.integer(i), a.integer(i + 1), a.integer(i + 2)};
}

// softmax(log, x, y, outer, D, inner): dense [outer, D, inner] tensors.
napi_value Softmax(const Args& a) {
  const bool log = a.flag(0);
  const Array x = a.array(1), y = a.array(2);
  same_dtype(a, x, y);
  const SoftmaxDims d = softmax_dims(a, 3);
  const int64_t n = dense_numel(a, {d.outer, d.D, d.inner});
  need_len(a, x, n, "input"), need_len(a, y, n, "output");
  if (d.D == 0) return undefined(a.env());
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    softmax<T>(log, d, x.as<T>(), y.as<T>());
  });
  return undefined(a.env());
}

napi_value SoftmaxBackward(const Args& a) {
  const bool log = a.flag(0);
  const Array y = a.array(1), g = a.array(2), gx = a.array(3);
  same_dtype(a, y, g), same_dtype(a, y, gx);
  const SoftmaxDims d = softmax_dims(a, 4);
  const int64_t n = dense_numel(a, {d.outer, d.D, d.inner});
  need_len(a, y, n, "output"), need_len(a, g, n, "gradient"), need_len(a, gx, n, "input gradient");
  visit_float_dtype(y.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    softmax_backward<T>(log, d, y.as<T>(), g.as<T>(), gx.as<T>());
  });
  return undefined(a.env());
}

CrossEntropyArgs ce_args(const Args& a, size_t i, const Array& t) {
  CrossEntropyArgs c{a.integer(i), a.integer(i + 1), 0, a.number(i + 3)};
  const double ig = a.number(i + 2);
  if (!(ig >= -2147483648.0 && ig <= 2147483647.0) || ig != static_cast<double>(static_cast<int32_t>(ig)))
    range_error(std::string(a.op()) + ": ignoreIndex must be an int32, got " + std::to_string(ig));
  c.ignore = static_cast<int32_t>(ig);
  if (!(c.smoothing >= 0 && c.smoothing <= 1))
    range_error(std::string(a.op()) + ": label smoothing must be in [0, 1], got " + std::to_string(c.smoothing));
  if (c.C < 1) range_error(std::string(a.op()) + ": need at least one class");
  dense_numel(a, {c.N, c.C});
  need_len(a, t, c.N, "targets");
  check_indices(a, t.as<int32_t>(), c.N, c.C, c.ignore, true);
  return c;
}

// crossEntropy(x, targets, loss, probs|null, N, C, ignoreIndex, smoothing)
napi_value CrossEntropy(const Args& a) {
  const Array x = a.array(0), t = a.array(1, DType::I32), loss = a.array(2);
  same_dtype(a, x, loss);
  const CrossEntropyArgs c = ce_args(a, 4, t);
  need_len(a, x, c.N * c.C, "logits"), need_len(a, loss, c.N, "loss");
  Array probs;
  const bool want_probs = !a.is_null(3);
  if (want_probs) probs = a.array(3), same_dtype(a, x, probs), need_len(a, probs, c.N * c.C, "probs");
  visit_float_dtype(x.dtype, a.op(), [&](auto tt) {
    using T = decltype(tt);
    cross_entropy<T>(c, x.as<T>(), t.as<int32_t>(), loss.as<T>(), want_probs ? probs.as<T>() : nullptr);
  });
  return undefined(a.env());
}

// crossEntropyBackward(probs, targets, gradPerRow, gx, N, C, ignoreIndex, smoothing)
napi_value CrossEntropyBackward(const Args& a) {
  const Array p = a.array(0), t = a.array(1, DType::I32), g = a.array(2), gx = a.array(3);
  same_dtype(a, p, g), same_dtype(a, p, gx);
  const CrossEntropyArgs c = ce_args(a, 4, t);
  need_len(a, p, c.N * c.C, "probs"), need_len(a, g, c.N, "gradient"), need_len(a, gx, c.N * c.C, "input gradient");
  visit_float_dtype(p.dtype, a.op(), [&](auto tt) {
    using T = decltype(tt);
    cross_entropy_backward<T>(c, p.as<T>(), t.as<int32_t>(), g.as<T>(), gx.as<T>());
  });
  return undefined(a.env());
}

// index kernels: (src, idx, dst, outer, D, inner, n) over dense tensors. `per_element` says
// whether idx has one entry per result element (gather) or one per slice (indexSelect).
template <class Kernel>
napi_value IndexEntry(const Args& a, bool per_element, bool src_is_result, Kernel k) {
  const Array src = a.array(0), idx = a.array(1, DType::I32), dst = a.array(2);
  same_dtype(a, src, dst);
  const IndexDims d{a.integer(3), a.integer(4), a.integer(5), a.integer(6)};
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
  return undefined(a.env());
}
napi_value IndexSelect(const Args& a) {
  return IndexEntry(a, false, false, [](IndexDims d, auto* s, const int32_t* i, auto* o) { index_select(d, s, i, o); });
}
napi_value IndexAdd(const Args& a) {
  return IndexEntry(a, false, true, [](IndexDims d, auto* s, const int32_t* i, auto* o) { index_add(d, s, i, o); });
}
napi_value Gather(const Args& a) {
  return IndexEntry(a, true, false, [](IndexDims d, auto* s, const int32_t* i, auto* o) { gather(d, s, i, o); });
}
napi_value ScatterAdd(const Args& a) {
  return IndexEntry(a, true, true, [](IndexDims d, auto* s, const int32_t* i, auto* o) { scatter_add(d, s, i, o); });
}

// Optimizer state arrays: same dtype and length as the parameter, or null where optional.
struct ParamArrays {
  Array p, g;
  int64_t n;
};
ParamArrays param_arrays(const Args& a) {
  ParamArrays r{a.array(0), a.array(1), 0};
  same_dtype(a, r.p, r.g);
  if (r.p.len != r.g.len) range_error(std::string(a.op()) + ": parameter has " + std::to_string(r.p.len) + " elements but its gradient has " + std::to_string(r.g.len));
  r.n = int64_t(r.p.len);
  return r;
}
template <class T>
T* state(const Args& a, size_t i, const ParamArrays& pa, bool optional = false) {
  if (optional && a.is_null(i)) return nullptr;
  const Array s = a.array(i);
  same_dtype(a, pa.p, s);
  if (s.len != pa.p.len) range_error(std::string(a.op()) + ": optimizer state has the wrong length");
  return s.as<T>();
}
double finite(const Args& a, size_t i, const char* name) {
  const double d = a.number(i);
  if (!(d == d) || d == 1.0 / 0.0 || d == -1.0 / 0.0)
    range_error(std::string(a.op()) + ": " + name + " must be a finite number, got " + std::to_string(d));
  return d;
}

// sgdStep(p, g, buf|null, lr, momentum, dampening, weightDecay, nesterov, firstStep, maximize)
napi_value SgdStep(const Args& a) {
  const ParamArrays pa = param_arrays(a);
  const SgdArgs s{finite(a, 3, "lr"), finite(a, 4, "momentum"), finite(a, 5, "dampening"), finite(a, 6, "weightDecay"),
                  a.flag(7), a.flag(8), a.flag(9)};
  visit_float_dtype(pa.p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    sgd_step<T>(pa.n, pa.p.as<T>(), pa.g.as<T>(), state<T>(a, 2, pa, true), s);
  });
  return undefined(a.env());
}

// adamStep(p, g, m, v, vmax|null, lr, beta1, beta2, eps, weightDecay, step, decoupled, amsgrad, maximize)
napi_value AdamStep(const Args& a) {
  const ParamArrays pa = param_arrays(a);
  const AdamArgs s{finite(a, 5, "lr"), finite(a, 6, "beta1"), finite(a, 7, "beta2"), finite(a, 8, "eps"),
                   finite(a, 9, "weightDecay"), a.integer(10, 1), a.flag(11), a.flag(12), a.flag(13)};
  visit_float_dtype(pa.p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    adam_step<T>(pa.n, pa.p.as<T>(), pa.g.as<T>(), state<T>(a, 2, pa), state<T>(a, 3, pa), state<T>(a, 4, pa, true), s);
  });
  return undefined(a.env());
}

// rmspropStep(p, g, sq, buf|null, gavg|null, lr, alpha, eps, weightDecay, momentum, centered, maximize)
napi_value RmspropStep(const Args& a) {
  const ParamArrays pa = param_arrays(a);
  const RmspropArgs s{finite(a, 5, "lr"), finite(a, 6, "alpha"), finite(a, 7, "eps"), finite(a, 8, "weightDecay"),
                      finite(a, 9, "momentum"), a.flag(10), a.flag(11)};
  visit_float_dtype(pa.p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    rmsprop_step<T>(pa.n, pa.p.as<T>(), pa.g.as<T>(), state<T>(a, 2, pa), state<T>(a, 3, pa, true),
                    state<T>(a, 4, pa, true), s);
  });
  return undefined(a.env());
}

// adagradStep(p, g, sum, lr, lrDecay, weightDecay, eps, step, maximize)
napi_value AdagradStep(const Args& a) {
  const ParamArrays pa = param_arrays(a);
  const AdagradArgs s{finite(a, 3, "lr"), finite(a, 4, "lrDecay"), finite(a, 5, "weightDecay"), finite(a, 6, "eps"),
                      a.integer(7, 1), a.flag(8)};
  visit_float_dtype(pa.p.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    adagrad_step<T>(pa.n, pa.p.as<T>(), pa.g.as<T>(), state<T>(a, 2, pa), s);
  });
  return undefined(a.env());
}

napi_value ManualSeed(const Args& a) {
  a.instance().rng.seed_with(static_cast<uint64_t>(a.integer(0)));
  return undefined(a.env());
}

// randUniform(out, lo, hi) / randNormal(out, mean, std) / randInt(out, lo, hi) / randPerm(out): fill all of out.
napi_value RandUniform(const Args& a) {
  const Array out = a.array(0);
  const double lo = finite(a, 1, "low"), hi = finite(a, 2, "high");
  visit_float_dtype(out.dtype, a.op(), [&](auto t) { rand_uniform(a.instance().rng, out.len, out.as<decltype(t)>(), lo, hi); });
  return undefined(a.env());
}
napi_value RandNormal(const Args& a) {
  const Array out = a.array(0);
  const double mean = finite(a, 1, "mean"), sd = finite(a, 2, "std");
  visit_float_dtype(out.dtype, a.op(), [&](auto t) { rand_normal(a.instance().rng, out.len, out.as<decltype(t)>(), mean, sd); });
  return undefined(a.env());
}
napi_value RandInt(const Args& a) {
  const Array out = a.array(0, DType::I32);
  const double lo = finite(a, 1, "low"), hi = finite(a, 2, "high");
  if (!(hi > lo) || lo < -2147483648.0 || hi > 2147483648.0)
    range_error(std::string(a.op()) + ": need low < high within int32, got [" + std::to_string(lo) + ", " + std::to_string(hi) + ")");
  rand_int(a.instance().rng, out.len, out.as<int32_t>(), int64_t(lo), int64_t(hi));
  return undefined(a.env());
}
napi_value RandPerm(const Args& a) {
  const Array out = a.array(0, DType::I32);
  rand_perm(a.instance().rng, out.len, out.as<int32_t>());
  return undefined(a.env());
}

napi_value make_int(napi_env env, int64_t v) {
  napi_value r;
  napi_create_int64(env, v, &r);
  return r;
}
napi_value make_string(napi_env env, const char* s) {
  napi_value r;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &r);
  return r;
}

napi_value SetNumThreads(const Args& a) {
  const int64_t n = a.integer(0, 1);
  if (n > kMaxThreads) range_error(std::string(a.op()) + ": at most " + std::to_string(kMaxThreads) + " threads, got " + std::to_string(n));
  set_num_threads(static_cast<int>(n));
  return undefined(a.env());
}
napi_value GetNumThreads(const Args& a) { return make_int(a.env(), num_threads()); }
napi_value GetIsa(const Args& a) { return make_string(a.env(), isa_name(cpu_isa())); }
// setIsa("scalar" | "avx2" | "avx512"): for tests; clamped to what the CPU supports.
napi_value SetIsa(const Args& a) {
  const int64_t v = a.integer(0);
  if (v > 2) range_error(std::string(a.op()) + ": unknown ISA code");
  set_isa(static_cast<Isa>(v));
  return make_string(a.env(), isa_name(cpu_isa()));
}

// ---- registration ----

using Entry = napi_value (*)(const Args&);

template <Entry F>
napi_value call(napi_env env, napi_callback_info info, const char* name) {
  try {
    return F(Args(env, info, name));
  } catch (const ArgError& e) {
    napi_value msg, err;
    napi_create_string_utf8(env, e.what(), NAPI_AUTO_LENGTH, &msg);
    if (std::strcmp(e.kind, "TypeError") == 0) napi_create_type_error(env, nullptr, msg, &err);
    else napi_create_range_error(env, nullptr, msg, &err);
    napi_throw(env, err);
  } catch (const std::exception& e) {
    // Dtype dispatch (std::invalid_argument, a TypeError) already names the op; don't name it twice.
    const std::string m = e.what(), msg = m.rfind(name, 0) == 0 ? m : std::string(name) + ": " + m;
    if (dynamic_cast<const std::invalid_argument*>(&e)) napi_throw_type_error(env, nullptr, msg.c_str());
    else napi_throw_error(env, nullptr, msg.c_str());
  }
  return nullptr;
}

#define TG_ENTRIES(X)                                                                                   \
  X(alloc, Alloc) X(release, Release) X(unary, Unary) X(unaryBackward, UnaryBackward) X(binary, Binary) \
  X(compare, Compare) X(binaryBackward, BinaryBackward) X(where, Where) X(copy, Copy) X(fill, Fill)     \
  X(arange, Arange) X(sum, Sum) X(extreme, Extreme) X(gemm, Gemm) X(linear, Linear) X(softmax, Softmax) \
  X(softmaxBackward, SoftmaxBackward) X(crossEntropy, CrossEntropy)                                     \
  X(crossEntropyBackward, CrossEntropyBackward) X(indexSelect, IndexSelect) X(indexAdd, IndexAdd)        \
  X(gather, Gather) X(scatterAdd, ScatterAdd) X(sgdStep, SgdStep) X(adamStep, AdamStep)                 \
  X(rmspropStep, RmspropStep) X(adagradStep, AdagradStep) X(manualSeed, ManualSeed)                     \
  X(randUniform, RandUniform) X(randNormal, RandNormal) X(randInt, RandInt) X(randPerm, RandPerm)       \
  X(setNumThreads, SetNumThreads) X(getNumThreads, GetNumThreads) X(getIsa, GetIsa) X(setIsa, SetIsa)     \
  X(memoryStats, MemoryStatsEntry) X(emptyCache, EmptyCache)

#define TG_WRAP(js, fn) \
  napi_value js##_cb(napi_env env, napi_callback_info info) { return call<fn>(env, info, "tensorgrad." #js); }
TG_ENTRIES(TG_WRAP)
#undef TG_WRAP

Napi::Array name_list(Napi::Env env, const char* const* names, int n) {
  Napi::Array arr = Napi::Array::New(env, n);
  for (int i = 0; i < n; ++i) arr.Set(uint32_t(i), names[i]);
  return arr;
}

// The tensor cache's cap: TENSORGRAD_CACHE_MB, else 512 MiB.
size_t tensor_cache_cap() {
  const char* env = std::getenv("TENSORGRAD_CACHE_MB");
  const long long mb = env ? std::atoll(env) : 512;
  return size_t(std::clamp<long long>(mb, 0, 1 << 20)) << 20;
}

// Module set-up is not a hot path, so it uses node-addon-api; the entries above use the C API
// directly, where each wrapper layer would cost on every call of a tiny op.
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  configure_tensor_cache(tensor_cache_cap());
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
#define TG_PROP(js, fn) {#js, nullptr, js##_cb, nullptr, nullptr, nullptr, napi_enumerable, inst},
      TG_ENTRIES(TG_PROP)
#undef TG_PROP
  };
  check(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props), "define_properties");
  exports.Set("params", params);
  exports.Set("unaryOps", name_list(env, kUnaryOpNames, int(UnaryOp::count)));
  exports.Set("binaryOps", name_list(env, kBinaryOpNames, int(BinaryOp::count)));
  exports.Set("compareOps", name_list(env, kCompareOpNames, int(CompareOp::count)));
  exports.Set("maxDims", kMaxDims);
  exports.Set("maxOperands", kMaxOperands);
  return exports;
}

}  // namespace
}  // namespace tg

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return tg::Init(env, exports); }
NODE_API_MODULE(NODE_GYP_MODULE_NAME, InitAddon)
