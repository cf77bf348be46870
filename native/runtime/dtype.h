#pragma once
// Element types shared by JS and native code. The numbering matches lib/dtype.ts.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace tg {

enum class DType : int { F32 = 0, F64 = 1, I32 = 2 };

inline const char* dtype_name(DType t) {
  switch (t) {
    case DType::F32: return "float32";
    case DType::F64: return "float64";
    case DType::I32: return "int32";
  }
  return "?";
}

// Calls f(T{}) with the C++ type for `t`; kernels are written once as templates.
template <class F>
auto visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::F32: return f(float{});
    case DType::F64: return f(double{});
    case DType::I32: break;
  }
  return f(int32_t{});
}

template <class F>
auto visit_float_dtype(DType t, const char* op, F&& f) {
  if (t == DType::F32) return f(float{});
  if (t == DType::F64) return f(double{});
  throw std::invalid_argument(std::string(op) + ": expected a float32 or float64 tensor, got " + dtype_name(t));
}

// The type element arithmetic runs in: int32 ops compute in int64 and wrap on the way back,
// so overflow is never undefined behaviour; float types compute in themselves.
template <class T>
using Wide = std::conditional_t<std::is_integral_v<T>, int64_t, T>;

}  // namespace tg
