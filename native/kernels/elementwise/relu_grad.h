#pragma once
// The ReLU rule's masking of a gradient, shared by the fused layers that apply ReLU in their own kernels
// (linear, convolution): as the relu op's rule (unary.h), g passes where y > 0 or y is NaN.
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tg {

// g where y > 0 (or y is NaN), else +0, without a branch: random signs would mispredict half the time.
template <class T>
inline T relu_grad(T y, T g) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  U bits;
  std::memcpy(&bits, &g, sizeof bits);
  bits &= U(0) - U(!(y <= 0));
  std::memcpy(&g, &bits, sizeof bits);
  return g;
}

}  // namespace tg
