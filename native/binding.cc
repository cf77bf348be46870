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
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "kernels/conv/conv.h"
#include "kernels/copy/copy.h"
#include "kernels/dropout/dropout.h"
#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/unary.h"
#include "kernels/gemm/gemm.h"
#include "kernels/index/gather.h"
#include "kernels/linear/linear.h"
#include "kernels/loss/cross_entropy.h"
#include "kernels/norm/batch_norm.h"
#include "kernels/norm/group_norm.h"
#include "kernels/norm/local_response_norm.h"
#include "kernels/optim/optim.h"
#include "kernels/pad/pad.h"
#include "kernels/pool/pool2d.h"
#include "kernels/random/random.h"
#include "kernels/reduce/reduce.h"
#include "kernels/softmax/softmax.h"
#include "runtime/cpu.h"
#include "runtime/dtype.h"
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

// ---- convolution: dense NCHW operands; the geometry is read from params[0..15] (written by JS) ----
// n, c, h, w (input), o, kh, kw (weight [o, c/groups, kh, kw]), oh, ow (output), sh, sw, ph, pw, dh, dw, groups.
ConvGeom conv_geom(const Args& a) {
  const double* P = a.instance().params;
  int64_t v[16];
  static const char* names[16] = {"batch", "channels", "height", "width", "out channels", "kernel height",
                                  "kernel width", "output height", "output width", "stride", "stride", "padding",
                                  "padding", "dilation", "dilation", "groups"};
  for (int i = 0; i < 16; ++i) {
    v[i] = checked_int(P[i], a.op(), names[i]);
    const bool positive = (i >= 9 && i <= 10) || i >= 13;
    if (positive && v[i] < 1) range_error(std::string(a.op()) + ": " + names[i] + " must be >= 1");
  }
  const ConvGeom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
  if (g.c % g.groups != 0 || g.o % g.groups != 0)
    range_error(std::string(a.op()) + ": groups " + std::to_string(g.groups) + " must divide the channels (" +
                std::to_string(g.c) + " in, " + std::to_string(g.o) + " out)");
  return g;
}

// Checks the three operands' lengths (input-like, weight, output-like) and that the written one is separate.
void conv_operands(const Args& a, const ConvGeom& g, const Array& x, const Array& w, const Array& y, bool y_is_out) {
  same_dtype(a, x, w), same_dtype(a, x, y);
  need_len(a, x, dense_numel(a, {g.n, g.c, g.h, g.w}), "input");
  need_len(a, w, dense_numel(a, {g.o, g.c / g.groups, g.kh, g.kw}), "weight");
  need_len(a, y, dense_numel(a, {g.n, g.o, g.oh, g.ow}), "output");
  const Array& written = y_is_out ? y : x;
  const Array& other = y_is_out ? x : y;
  if (overlaps(written, other) || overlaps(written, w)) range_error(std::string(a.op()) + ": the output overlaps an input");
}

// conv2d(x, w, b|null, y): y = conv(x, w) + b.
napi_value Conv2d(const Args& a) {
  const Array x = a.array(0), w = a.array(1), y = a.array(3);
  const ConvGeom g = conv_geom(a);
  conv_operands(a, g, x, w, y, true);
  const bool has_bias = !a.is_null(2);
  Array b;
  if (has_bias) {
    b = a.array(2), same_dtype(a, x, b), need_len(a, b, g.o, "bias");
    if (overlaps(y, b)) range_error(std::string(a.op()) + ": the output overlaps an input");
  }
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    conv2d_forward<T>(g, x.as<T>(), w.as<T>(), has_bias ? b.as<T>() : nullptr, y.as<T>());
  });
  return undefined(a.env());
}

// conv2dBackwardInput(dy, w, dx): dx = the gradient of conv2d w.r.t. its input.
napi_value Conv2dBackwardInput(const Args& a) {
  const Array dy = a.array(0), w = a.array(1), dx = a.array(2);
  const ConvGeom g = conv_geom(a);
  conv_operands(a, g, dx, w, dy, false);
  visit_float_dtype(dx.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    conv2d_backward_input<T>(g, dy.as<T>(), w.as<T>(), dx.as<T>());
  });
  return undefined(a.env());
}

// conv2dBackwardWeight(x, dy, dw): dw = the gradient of conv2d w.r.t. its weight.
napi_value Conv2dBackwardWeight(const Args& a) {
  const Array x = a.array(0), dy = a.array(1), dw = a.array(2);
  const ConvGeom g = conv_geom(a);
  same_dtype(a, x, dy), same_dtype(a, x, dw);
  need_len(a, x, dense_numel(a, {g.n, g.c, g.h, g.w}), "input");
  need_len(a, dw, dense_numel(a, {g.o, g.c / g.groups, g.kh, g.kw}), "weight");
  need_len(a, dy, dense_numel(a, {g.n, g.o, g.oh, g.ow}), "output gradient");
  if (overlaps(dw, x) || overlaps(dw, dy)) range_error(std::string(a.op()) + ": the output overlaps an input");
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    conv2d_backward_weight<T>(g, x.as<T>(), dy.as<T>(), dw.as<T>());
  });
  return undefined(a.env());
}

// unfold(x, col) and fold(col, x): groups 1, o = c (col is [n, c·kh·kw, oh·ow]).
napi_value UnfoldEntry(const Args& a, bool fold_back) {
  const Array src = a.array(0), dst = a.array(1);
  const ConvGeom g = conv_geom(a);
  if (g.groups != 1 || g.o != g.c) range_error(std::string(a.op()) + ": expects groups 1 and o == c");
  same_dtype(a, src, dst);
  const Array& x = fold_back ? dst : src;
  const Array& col = fold_back ? src : dst;
  need_len(a, x, dense_numel(a, {g.n, g.c, g.h, g.w}), "image");
  need_len(a, col, dense_numel(a, {g.n, g.c, g.kh, g.kw, g.oh, g.ow}), "columns");
  if (overlaps(src, dst)) range_error(std::string(a.op()) + ": the output overlaps the input");
  visit_float_dtype(src.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (fold_back) fold<T>(g, src.as<T>(), dst.as<T>());
    else unfold<T>(g, src.as<T>(), dst.as<T>());
  });
  return undefined(a.env());
}
napi_value Unfold(const Args& a) { return UnfoldEntry(a, false); }
napi_value Fold(const Args& a) { return UnfoldEntry(a, true); }

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

// ---- layers: pooling, normalisation, dropout, padding (dense NCHW-style buffers) ----

// An optional array (null → none) of x's dtype with at least n elements.
Array optional_array(const Args& a, size_t i, const Array& like, int64_t n, const char* what) {
  if (a.is_null(i)) return Array{like.dtype, 0, nullptr};
  const Array r = a.array(i);
  same_dtype(a, like, r);
  need_len(a, r, n, what);
  return r;
}

// Outputs must not share memory with the inputs a kernel reads while writing them.
void no_overlap(const Args& a, const Array& out, std::initializer_list<Array> ins) {
  for (const Array& in : ins)
    if (out.data && in.data && overlaps(out, in)) range_error(std::string(a.op()) + ": an output overlaps an input");
}

enum class PoolKind : int { Max = 0, Avg = 1, AdaptiveMax = 2, AdaptiveAvg = 3, count };

// The geometry, an Int32Array at argument i: planes, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW,
// countIncludePad (0/1), divisorOverride (0: none). Windows are computed here, so any sizes from JS
// stay in bounds.
struct PoolArgs {
  int64_t planes, H, W;
  AxisWindows h, w;
  int64_t divisor_override;
  PoolGeometry geometry() const { return {planes, H, W, h, w}; }
};
PoolArgs pool_args(const Args& a, size_t i, PoolKind kind) {
  const Array spec = a.array(i, DType::I32);
  if (spec.len != 15) range_error(std::string(a.op()) + ": the pooling geometry must have 15 entries");
  const int32_t* g = spec.as<int32_t>();
  for (int k = 0; k < 13; ++k)
    if (g[k] < (k >= 5 && (k < 9 || k >= 11) ? 1 : 0))
      range_error(std::string(a.op()) + ": pooling geometry entry " + std::to_string(k) + " is out of range: " + std::to_string(g[k]));
  PoolArgs p;
  p.planes = g[0], p.H = g[1], p.W = g[2], p.divisor_override = g[14];
  const int64_t OH = g[3], OW = g[4];
  dense_numel(a, {p.planes, p.H, p.W}), dense_numel(a, {p.planes, OH, OW});
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

// pool2d(kind, x, y, idx|null, geometry): idx (int32, max kinds only) receives the arg-max positions.
napi_value Pool2d(const Args& a) {
  const auto kind = op_code<PoolKind>(a, 0, int(PoolKind::count));
  const bool is_max = kind == PoolKind::Max || kind == PoolKind::AdaptiveMax;
  const Array x = a.array(1), y = a.array(2);
  same_dtype(a, x, y);
  const PoolArgs p = pool_args(a, 4, kind);
  const int64_t out_n = p.planes * p.h.size() * p.w.size();
  need_len(a, x, p.planes * p.H * p.W, "input"), need_len(a, y, out_n, "output");
  Array idx{DType::I32, 0, nullptr};
  if (is_max) idx = a.array(3, DType::I32), need_len(a, idx, out_n, "indices");
  no_overlap(a, y, {x, idx}), no_overlap(a, idx, {x});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (is_max) max_pool2d<T>(p.geometry(), x.as<T>(), y.as<T>(), idx.as<int32_t>());
    else avg_pool2d<T>(p.geometry(), p.divisor_override, x.as<T>(), y.as<T>());
  });
  return undefined(a.env());
}

// pool2dBackward(kind, gy, idx|null, gx, geometry): gx is overwritten.
napi_value Pool2dBackward(const Args& a) {
  const auto kind = op_code<PoolKind>(a, 0, int(PoolKind::count));
  const bool is_max = kind == PoolKind::Max || kind == PoolKind::AdaptiveMax;
  const Array gy = a.array(1), gx = a.array(3);
  same_dtype(a, gy, gx);
  const PoolArgs p = pool_args(a, 4, kind);
  const int64_t out_n = p.planes * p.h.size() * p.w.size(), plane = p.H * p.W;
  need_len(a, gy, out_n, "output gradient"), need_len(a, gx, p.planes * plane, "input gradient");
  Array idx{DType::I32, 0, nullptr};
  if (is_max) {
    idx = a.array(2, DType::I32), need_len(a, idx, out_n, "indices");
    const int32_t* ip = idx.as<int32_t>();
    for (int64_t i = 0; i < out_n; ++i)
      if (ip[i] < -1 || ip[i] >= plane)
        range_error(std::string(a.op()) + ": index " + std::to_string(ip[i]) + " is outside a plane of " + std::to_string(plane));
  }
  no_overlap(a, gx, {gy, idx});
  visit_float_dtype(gy.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (is_max) max_pool2d_backward<T>(p.geometry(), gy.as<T>(), idx.as<int32_t>(), gx.as<T>());
    else avg_pool2d_backward<T>(p.geometry(), p.divisor_override, gy.as<T>(), gx.as<T>());
  });
  return undefined(a.env());
}

double non_negative(const Args& a, size_t i, const char* name) {
  const double d = finite(a, i, name);
  if (d < 0) range_error(std::string(a.op()) + ": " + name + " must be >= 0, got " + std::to_string(d));
  return d;
}

// batchNorm(x, y, w|null, b|null, runMean|null, runVar|null, mean, invstd, N, C, L, training, factor, eps)
napi_value BatchNorm(const Args& a) {
  const Array x = a.array(0), y = a.array(1);
  same_dtype(a, x, y);
  BatchNormArgs s{a.integer(8), a.integer(9), a.integer(10), a.flag(11), finite(a, 12, "momentum"), non_negative(a, 13, "eps")};
  const int64_t n = dense_numel(a, {s.N, s.C, s.L});
  need_len(a, x, n, "input"), need_len(a, y, n, "output");
  const Array w = optional_array(a, 2, x, s.C, "weight"), b = optional_array(a, 3, x, s.C, "bias");
  const Array rm = optional_array(a, 4, x, s.C, "running mean"), rv = optional_array(a, 5, x, s.C, "running var");
  const Array mean = a.array(6), invstd = a.array(7);
  same_dtype(a, x, mean), same_dtype(a, x, invstd), need_len(a, mean, s.C, "mean"), need_len(a, invstd, s.C, "invstd");
  if (!s.training && (!rm.data || !rv.data)) type_error(std::string(a.op()) + ": eval mode needs the running mean and var");
  for (const Array& out : {y, rm, rv, mean, invstd}) no_overlap(a, out, {x, w, b});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    batch_norm<T>(s, x.as<T>(), w.as<T>(), b.as<T>(), rm.as<T>(), rv.as<T>(), y.as<T>(), mean.as<T>(), invstd.as<T>());
  });
  return undefined(a.env());
}

// batchNormBackward(x, g, w|null, mean, invstd, gx|null, gw|null, gb|null, N, C, L, training)
napi_value BatchNormBackward(const Args& a) {
  const Array x = a.array(0), g = a.array(1);
  same_dtype(a, x, g);
  BatchNormArgs s{a.integer(8), a.integer(9), a.integer(10), a.flag(11), 0, 0};
  const int64_t n = dense_numel(a, {s.N, s.C, s.L});
  need_len(a, x, n, "input"), need_len(a, g, n, "gradient");
  const Array w = optional_array(a, 2, x, s.C, "weight");
  const Array mean = a.array(3), invstd = a.array(4);
  same_dtype(a, x, mean), same_dtype(a, x, invstd), need_len(a, mean, s.C, "mean"), need_len(a, invstd, s.C, "invstd");
  const Array gx = optional_array(a, 5, x, n, "input gradient");
  const Array gw = optional_array(a, 6, x, s.C, "weight gradient"), gb = optional_array(a, 7, x, s.C, "bias gradient");
  for (const Array& out : {gx, gw, gb}) no_overlap(a, out, {x, g, w, mean, invstd});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    batch_norm_backward<T>(s, x.as<T>(), g.as<T>(), w.as<T>(), mean.as<T>(), invstd.as<T>(), gx.as<T>(), gw.as<T>(),
                           gb.as<T>());
  });
  return undefined(a.env());
}

GroupNormArgs group_norm_args(const Args& a, size_t i) {
  GroupNormArgs s{a.integer(i), a.integer(i + 1), a.integer(i + 2), a.integer(i + 3, 1), 0};
  if (s.C % s.G != 0) range_error(std::string(a.op()) + ": " + std::to_string(s.G) + " groups do not divide " + std::to_string(s.C) + " channels");
  dense_numel(a, {s.N, s.C, s.L});
  return s;
}

// groupNorm(x, y, w|null, b|null, mean, rstd, N, C, L, G, eps)
napi_value GroupNorm(const Args& a) {
  const Array x = a.array(0), y = a.array(1);
  same_dtype(a, x, y);
  GroupNormArgs s = group_norm_args(a, 6);
  s.eps = non_negative(a, 10, "eps");
  const int64_t n = s.N * s.C * s.L;
  need_len(a, x, n, "input"), need_len(a, y, n, "output");
  const Array w = optional_array(a, 2, x, s.C, "weight"), b = optional_array(a, 3, x, s.C, "bias");
  const Array mean = a.array(4), rstd = a.array(5);
  same_dtype(a, x, mean), same_dtype(a, x, rstd), need_len(a, mean, s.N * s.G, "mean"), need_len(a, rstd, s.N * s.G, "rstd");
  for (const Array& out : {y, mean, rstd}) no_overlap(a, out, {x, w, b});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    group_norm<T>(s, x.as<T>(), w.as<T>(), b.as<T>(), y.as<T>(), mean.as<T>(), rstd.as<T>());
  });
  return undefined(a.env());
}

// groupNormBackward(x, g, w|null, mean, rstd, gx|null, gw|null, gb|null, N, C, L, G)
napi_value GroupNormBackward(const Args& a) {
  const Array x = a.array(0), g = a.array(1);
  same_dtype(a, x, g);
  const GroupNormArgs s = group_norm_args(a, 8);
  const int64_t n = s.N * s.C * s.L;
  need_len(a, x, n, "input"), need_len(a, g, n, "gradient");
  const Array w = optional_array(a, 2, x, s.C, "weight");
  const Array mean = a.array(3), rstd = a.array(4);
  same_dtype(a, x, mean), same_dtype(a, x, rstd), need_len(a, mean, s.N * s.G, "mean"), need_len(a, rstd, s.N * s.G, "rstd");
  const Array gx = optional_array(a, 5, x, n, "input gradient");
  const Array gw = optional_array(a, 6, x, s.C, "weight gradient"), gb = optional_array(a, 7, x, s.C, "bias gradient");
  for (const Array& out : {gx, gw, gb}) no_overlap(a, out, {x, g, w, mean, rstd});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    group_norm_backward<T>(s, x.as<T>(), g.as<T>(), w.as<T>(), mean.as<T>(), rstd.as<T>(), gx.as<T>(), gw.as<T>(),
                           gb.as<T>());
  });
  return undefined(a.env());
}

LrnArgs lrn_args(const Args& a, size_t i) {
  LrnArgs s{a.integer(i), a.integer(i + 1), a.integer(i + 2), a.integer(i + 3, 1), finite(a, i + 4, "alpha"),
            finite(a, i + 5, "beta"), finite(a, i + 6, "k")};
  dense_numel(a, {s.N, s.C, s.L});
  return s;
}

// localResponseNorm(x, y, scale, N, C, L, size, alpha, beta, k)
napi_value LocalResponseNorm(const Args& a) {
  const Array x = a.array(0), y = a.array(1), scale = a.array(2);
  same_dtype(a, x, y), same_dtype(a, x, scale);
  const LrnArgs s = lrn_args(a, 3);
  const int64_t n = s.N * s.C * s.L;
  need_len(a, x, n, "input"), need_len(a, y, n, "output"), need_len(a, scale, n, "scale");
  no_overlap(a, y, {x, scale}), no_overlap(a, scale, {x});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    local_response_norm<T>(s, x.as<T>(), y.as<T>(), scale.as<T>());
  });
  return undefined(a.env());
}

// localResponseNormBackward(x, g, scale, gx, N, C, L, size, alpha, beta, k)
napi_value LocalResponseNormBackward(const Args& a) {
  const Array x = a.array(0), g = a.array(1), scale = a.array(2), gx = a.array(3);
  same_dtype(a, x, g), same_dtype(a, x, scale), same_dtype(a, x, gx);
  const LrnArgs s = lrn_args(a, 4);
  const int64_t n = s.N * s.C * s.L;
  need_len(a, x, n, "input"), need_len(a, g, n, "gradient"), need_len(a, scale, n, "scale"), need_len(a, gx, n, "input gradient");
  no_overlap(a, gx, {x, g, scale});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    local_response_norm_backward<T>(s, x.as<T>(), g.as<T>(), scale.as<T>(), gx.as<T>());
  });
  return undefined(a.env());
}

// dropout(x, y, mask, outer, inner, p, draw): draw → a fresh mask from the generator; y = x · mask
// (mask per outer index). With draw = false it applies a given mask (the backward).
napi_value Dropout(const Args& a) {
  const Array x = a.array(0), y = a.array(1), mask = a.array(2);
  same_dtype(a, x, y), same_dtype(a, x, mask);
  const int64_t outer = a.integer(3), inner = a.integer(4);
  const double p = finite(a, 5, "p");
  const bool draw = a.flag(6);
  if (p < 0 || p > 1) range_error(std::string(a.op()) + ": p must be in [0, 1], got " + std::to_string(p));
  const int64_t n = dense_numel(a, {outer, inner});
  need_len(a, x, n, "input"), need_len(a, y, n, "output"), need_len(a, mask, outer, "mask");
  no_overlap(a, mask, {x, y}), no_overlap(a, y, {mask});
  visit_float_dtype(x.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    if (draw) dropout_mask<T>(a.instance().rng, outer, p, mask.as<T>());
    apply_mask<T>(outer, inner, x.as<T>(), mask.as<T>(), y.as<T>());
  });
  return undefined(a.env());
}

// The padding spec: outer, then an Int32Array of (in, before, after) per padded dim.
PadDims pad_dims(const Args& a, size_t i, PadMode mode) {
  PadDims d;
  d.outer = a.integer(i);
  const Array spec = a.array(i + 1, DType::I32);
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
  for (int64_t j = 0; j < k; ++j) nin = mul_add(nin, d.in[j], 0), nout = mul_add(nout, d.out[j], 0);
  if (nin < 0 || nout < 0) range_error(std::string(a.op()) + ": sizes are too large (their product overflows)");
  return d;
}

int64_t numel_of(int64_t outer, const std::vector<int64_t>& dims) {
  int64_t n = outer;
  for (int64_t v : dims) n *= v;
  return n;
}

// pad(mode, x, y, outer, spec, value)
napi_value Pad(const Args& a) {
  const auto mode = op_code<PadMode>(a, 0, 3);
  const Array x = a.array(1), y = a.array(2);
  same_dtype(a, x, y);
  const PadDims d = pad_dims(a, 3, mode);
  const double value = a.number(5);
  need_len(a, x, numel_of(d.outer, d.in), "input"), need_len(a, y, numel_of(d.outer, d.out), "output");
  no_overlap(a, y, {x});
  visit_dtype(x.dtype, [&](auto t) {
    using T = decltype(t);
    pad<T>(d, x.as<T>(), y.as<T>(), T(value));
  });
  return undefined(a.env());
}

// padBackward(mode, g, gx, outer, spec): gx is overwritten.
napi_value PadBackward(const Args& a) {
  const auto mode = op_code<PadMode>(a, 0, 3);
  const Array g = a.array(1), gx = a.array(2);
  same_dtype(a, g, gx);
  const PadDims d = pad_dims(a, 3, mode);
  need_len(a, g, numel_of(d.outer, d.out), "gradient"), need_len(a, gx, numel_of(d.outer, d.in), "input gradient");
  no_overlap(a, gx, {g});
  visit_float_dtype(g.dtype, a.op(), [&](auto t) {
    using T = decltype(t);
    pad_backward<T>(d, g.as<T>(), gx.as<T>());
  });
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
  X(pool2d, Pool2d) X(pool2dBackward, Pool2dBackward) X(batchNorm, BatchNorm)                          \
  X(batchNormBackward, BatchNormBackward) X(groupNorm, GroupNorm) X(groupNormBackward, GroupNormBackward) \
  X(localResponseNorm, LocalResponseNorm) X(localResponseNormBackward, LocalResponseNormBackward)         \
  X(dropout, Dropout) X(pad, Pad) X(padBackward, PadBackward)                                             \
  X(setNumThreads, SetNumThreads) X(getNumThreads, GetNumThreads) X(getIsa, GetIsa) X(setIsa, SetIsa)   \
  X(conv2d, Conv2d) X(conv2dBackwardInput, Conv2dBackwardInput) X(conv2dBackwardWeight, Conv2dBackwardWeight) \
  X(unfold, Unfold) X(fold, Fold)

#define TG_WRAP(js, fn) \
  napi_value js##_cb(napi_env env, napi_callback_info info) { return call<fn>(env, info, "tensorgrad." #js); }
TG_ENTRIES(TG_WRAP)
#undef TG_WRAP

Napi::Array name_list(Napi::Env env, const char* const* names, int n) {
  Napi::Array arr = Napi::Array::New(env, n);
  for (int i = 0; i < n; ++i) arr.Set(uint32_t(i), names[i]);
  return arr;
}

// Module set-up is not a hot path, so it uses node-addon-api; the entries above use the C API
// directly, where each wrapper layer would cost on every call of a tiny op.
Napi::Object Init(Napi::Env env, Napi::Object exports) {
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
