#pragma once
// How a JS call reaches an entry. An entry is a plain C++ function whose parameter types are the
// argument kinds JS must pass, e.g.
//
//   void Unary(const Args& a, Strides in, Code<UnaryOp> op, Array x, Array out, double p, double q);
//
// invoke() unwraps and checks every JS argument by its parameter type before the body runs, and
// entry_spec() reports the same kinds to JS (native.entrySpecs), from which lib/native-entries.ts
// (the TypeScript signatures) and the boundary fuzz are generated. So each entry's arguments are
// declared exactly once: in its C++ signature, with their names in the TG_ENTRIES table.
//
// A `Strides` parameter marks an entry that reads operand layouts (shape, offsets, strides) from the
// `params` block rather than from arguments; lib/native.ts gives such entries a (shape, operands)
// pair and writes the block in the same call, so the two cannot be separated.
//   params[0] = ndim, params[1..8] = shape, operand k at 9 + 9k: offset, strides[8].
#include <napi.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/random/random.h"
#include "runtime/dtype.h"
#include "runtime/strided.h"

namespace tg {

constexpr int kParamCount = 128;
constexpr int kMaxOperands = 6;
constexpr double kMaxSafeInteger = 9007199254740991.0;

// Per-instance state: the addon may be loaded by several worker threads at once.
struct Instance {
  Napi::Reference<Napi::Float64Array> params_ref;
  // This context's ArrayBuffer and Float32Array/Float64Array/Int32Array (by DType) constructors, for alloc.
  Napi::FunctionReference array_buffer_ctor;
  Napi::FunctionReference typed_array_ctor[3];
  double* params = nullptr;
  Rng rng;
};

// Thrown for bad input from JS; becomes a JS TypeError/RangeError.
struct ArgError : std::runtime_error {
  const char* kind;
  ArgError(const char* k, const std::string& m) : std::runtime_error(m), kind(k) {}
};
[[noreturn]] inline void type_error(const std::string& m) { throw ArgError("TypeError", m); }
[[noreturn]] inline void range_error(const std::string& m) { throw ArgError("RangeError", m); }

inline void check(napi_status s, const char* what) {
  if (s != napi_ok) throw std::runtime_error(std::string("N-API call failed: ") + what);
}

struct Array {
  DType dtype = DType::F32;
  size_t len = 0;
  void* data = nullptr;
  template <class T>
  T* as() const { return static_cast<T*>(data); }
};
// An Int32Array argument (indices, targets, masks).
struct I32Array : Array {};
// A JS array of typed arrays or nulls (one per parameter of an optimizer's group).
struct ArrayList { std::vector<std::optional<Array>> items; };
// A number that must be finite; an integer >= 0; an integer >= 1.
struct Finite { double v; operator double() const { return v; } };
struct Size { int64_t v; operator int64_t() const { return v; } };
struct Count { int64_t v; operator int64_t() const { return v; } };
// An integer code below the number of values of E (an op of a table, a dtype, an ISA).
template <class E>
struct Code { E v; operator E() const { return v; } };
template <class E>
constexpr int code_count() { return int(E::count); }
template <>
constexpr int code_count<DType>() { return 3; }
// The return kind of an entry that makes a typed array.
struct TypedArrayResult { napi_value v; };

class Args;
// The layout block of an entry that reads one (see the top of this file).
class Strides {
 public:
  explicit Strides(const Args* a) : a_(a) {}
  // The iteration shape all operands share.
  Shape shape() const;
  // Operand k over `s`; every element it reaches must lie inside `arr`.
  Layout operand(int k, const Shape& s, const Array& arr) const;

 private:
  const Args* a_;
};

// The arguments of one call, as the entry's table row names them.
class Args {
 public:
  Args(napi_env env, napi_callback_info info, const char* op, const std::vector<std::string>* names)
      : env_(env), op_(op), names_(names) {
    void* inst = nullptr;
    check(napi_get_cb_info(env, info, &argc_, argv_, nullptr, &inst), "get_cb_info");
    argc_ = std::min<size_t>(argc_, kMaxArgs);  // N-API reports the true count, which may exceed argv_
    inst_ = static_cast<Instance*>(inst);
  }
  napi_env env() const { return env_; }
  Instance& instance() const { return *inst_; }
  const char* op() const { return op_; }

  // "tensorgrad.op: argument 3 (lr)", for messages about one argument.
  std::string where(size_t i) const {
    std::string s = std::string(op_) + ": argument " + std::to_string(i);
    return i < names_->size() ? s + " (" + (*names_)[i] + ")" : s;
  }
  bool present(size_t i) const {
    if (i >= argc_) return false;
    napi_valuetype t;
    check(napi_typeof(env_, argv_[i], &t), "typeof");
    return t != napi_null && t != napi_undefined;
  }
  napi_value raw(size_t i) const {
    if (i >= argc_) type_error(std::string(op_) + ": missing argument " + std::to_string(i) + name_suffix(i));
    return argv_[i];
  }
  Array array(size_t i) const { return typed(raw(i), [&] { return where(i); }); }
  ArrayList array_list(size_t i) const {
    napi_value v = raw(i);
    bool is_array = false;
    uint32_t n = 0;
    if (napi_is_array(env_, v, &is_array) != napi_ok || !is_array) type_error(where(i) + " must be an array");
    check(napi_get_array_length(env_, v, &n), "array_length");
    ArrayList out;
    out.items.reserve(n);
    for (uint32_t k = 0; k < n; ++k) {
      napi_value e;
      napi_valuetype t;
      check(napi_get_element(env_, v, k, &e), "get_element");
      check(napi_typeof(env_, e, &t), "typeof");
      if (t == napi_null || t == napi_undefined) out.items.emplace_back(std::nullopt);
      else out.items.emplace_back(typed(e, [&] { return where(i) + "[" + std::to_string(k) + "]"; }));
    }
    return out;
  }
  double number(size_t i) const {
    double d;
    if (napi_get_value_double(env_, raw(i), &d) != napi_ok) type_error(where(i) + " must be a number");
    return d;
  }
  int64_t integer(size_t i, int64_t lo) const {
    double d = number(i);
    if (!(d >= double(lo) && d <= kMaxSafeInteger) || d != static_cast<double>(static_cast<int64_t>(d)))
      range_error(where(i) + " must be an integer >= " + std::to_string(lo) + ", got " + std::to_string(d));
    return static_cast<int64_t>(d);
  }
  bool flag(size_t i) const {
    bool b;
    if (napi_get_value_bool(env_, raw(i), &b) != napi_ok) type_error(where(i) + " must be a boolean");
    return b;
  }

 private:
  static constexpr size_t kMaxArgs = 16;
  // `what` names the argument for an error; it is a callable so the message is built only on an error
  // (building it eagerly doubled the cost of a small op).
  template <class What>
  Array typed(napi_value v, What what) const {
    napi_typedarray_type t;
    Array a;
    // One N-API call: it fails with napi_invalid_arg for anything but a typed array.
    if (napi_get_typedarray_info(env_, v, &t, &a.len, &a.data, nullptr, nullptr) != napi_ok)
      type_error(what() + " must be a typed array");
    switch (t) {
      case napi_float32_array: a.dtype = DType::F32; break;
      case napi_float64_array: a.dtype = DType::F64; break;
      case napi_int32_array: a.dtype = DType::I32; break;
      default: type_error(what() + " must be a Float32Array, Float64Array or Int32Array");
    }
    return a;
  }
  std::string name_suffix(size_t i) const { return i < names_->size() ? " (" + (*names_)[i] + ")" : ""; }
  napi_env env_;
  const char* op_;
  const std::vector<std::string>* names_;
  size_t argc_ = kMaxArgs;
  napi_value argv_[kMaxArgs];
  Instance* inst_ = nullptr;
};

// ---- argument kinds: how each parameter type is read, and its name for JS ----

template <class T>
struct Kind;
template <>
struct Kind<Array> {
  static std::string name() { return "arr"; }
  static Array read(const Args& a, size_t i) { return a.array(i); }
};
template <>
struct Kind<ArrayList> {
  static std::string name() { return "arrs"; }
  static ArrayList read(const Args& a, size_t i) { return a.array_list(i); }
};
template <>
struct Kind<I32Array> {
  static std::string name() { return "i32"; }
  static I32Array read(const Args& a, size_t i) {
    const Array r = a.array(i);
    if (r.dtype != DType::I32) type_error(a.where(i) + " must be int32, got " + dtype_name(r.dtype));
    return I32Array{r};
  }
};
// Optional: null or undefined (or missing) reads as nullopt.
template <class T>
struct Kind<std::optional<T>> {
  static std::string name() { return Kind<T>::name() + "?"; }
  static std::optional<T> read(const Args& a, size_t i) {
    if (!a.present(i)) return std::nullopt;
    return Kind<T>::read(a, i);
  }
};
template <>
struct Kind<double> {
  static std::string name() { return "num"; }
  static double read(const Args& a, size_t i) { return a.number(i); }
};
template <>
struct Kind<Finite> {
  static std::string name() { return "fin"; }
  static Finite read(const Args& a, size_t i) {
    const double d = a.number(i);
    if (!(d - d == 0)) range_error(a.where(i) + " must be a finite number, got " + std::to_string(d));
    return {d};
  }
};
template <>
struct Kind<Size> {
  static std::string name() { return "int"; }
  static Size read(const Args& a, size_t i) { return {a.integer(i, 0)}; }
};
template <>
struct Kind<Count> {
  static std::string name() { return "int1"; }
  static Count read(const Args& a, size_t i) { return {a.integer(i, 1)}; }
};
template <>
struct Kind<bool> {
  static std::string name() { return "bool"; }
  static bool read(const Args& a, size_t i) { return a.flag(i); }
};
template <class E>
struct Kind<Code<E>> {
  static std::string name() { return "op:" + std::to_string(code_count<E>()); }
  static Code<E> read(const Args& a, size_t i) {
    const int64_t v = a.integer(i, 0);
    if (v >= code_count<E>())
      range_error(a.where(i) + " must be a code below " + std::to_string(code_count<E>()) + ", got " + std::to_string(v));
    return {static_cast<E>(v)};
  }
};

// Reads parameter P from JS argument `js` (advancing it), or the layout block, which takes none.
template <class P>
P read_param(const Args& a, size_t& js) {
  if constexpr (std::is_same_v<P, Strides>) return Strides(&a);
  else return Kind<P>::read(a, js++);
}

// ---- results ----

inline napi_value to_js(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}
inline napi_value to_js(napi_env env, int64_t v) {
  napi_value r;
  napi_create_int64(env, v, &r);
  return r;
}
inline napi_value to_js(napi_env env, const char* s) {
  napi_value r;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &r);
  return r;
}
inline napi_value to_js(napi_env, TypedArrayResult r) { return r.v; }

template <class R>
const char* result_kind() {
  if constexpr (std::is_void_v<R>) return "void";
  else if constexpr (std::is_same_v<R, int64_t>) return "number";
  else if constexpr (std::is_same_v<R, const char*>) return "string";
  else {
    static_assert(std::is_same_v<R, TypedArrayResult>, "an entry returns void, int64_t, const char* or TypedArrayResult");
    return "arr";
  }
}

// Unwraps every argument in order (a braced list is evaluated left to right), then runs the body.
template <class R, class... P>
napi_value invoke(const Args& a, R (*body)(const Args&, P...)) {
  size_t js = 0;
  std::tuple<P...> params{read_param<P>(a, js)...};
  (void)js;  // entries without arguments
  return std::apply(
      [&](auto&&... v) {
        if constexpr (std::is_void_v<R>) {
          body(a, v...);
          return to_js(a.env());
        } else {
          return to_js(a.env(), body(a, v...));
        }
      },
      params);
}

// Turns the C++ exceptions of one call into a pending JS exception naming the op.
template <class F>
napi_value guarded(napi_env env, const char* name, F&& f) {
  try {
    return f();
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
    else if (dynamic_cast<const std::range_error*>(&e) || dynamic_cast<const std::overflow_error*>(&e))
      napi_throw_range_error(env, nullptr, msg.c_str());  // a value with no result in the dtype
    else napi_throw_error(env, nullptr, msg.c_str());
  }
  return nullptr;
}

// "a b c" -> {"a", "b", "c"}.
inline std::vector<std::string> split_names(const char* s) {
  std::vector<std::string> out;
  for (const char* p = s; *p;) {
    while (*p == ' ') ++p;
    const char* q = p;
    while (*q && *q != ' ') ++q;
    if (q > p) out.emplace_back(p, q);
    p = q;
  }
  return out;
}

// native.entrySpecs[name] = {args: [[name, kind], ...], layout: bool, returns: kind}.
template <class R, class... P>
Napi::Object entry_spec(Napi::Env env, R (*)(const Args&, P...), const std::vector<std::string>& names) {
  std::vector<std::string> kinds;
  bool layout = false;
  auto add = [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, Strides>) layout = true;
    else kinds.push_back(Kind<T>::name());
  };
  (add(std::common_type<P>{}), ...);
  (void)add;  // entries without arguments
  if (kinds.size() != names.size())
    throw std::logic_error("entry table: " + std::to_string(names.size()) + " names for " + std::to_string(kinds.size()) + " arguments");
  Napi::Array args = Napi::Array::New(env, kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, names[i]);
    pair.Set(1u, kinds[i]);
    args.Set(uint32_t(i), pair);
  }
  Napi::Object spec = Napi::Object::New(env);
  spec.Set("args", args);
  spec.Set("layout", layout);
  spec.Set("returns", result_kind<R>());
  return spec;
}

}  // namespace tg
