#pragma once
// Vectorised exp, tanh and sigmoid for unit-stride float32 runs (AVX2 and AVX-512), within 2 ulp of the
// exact value. The scalar table in unary.h stays the definition; these only replace its inner loop.
#include <cstdint>

namespace tg {

enum class Transcendental { exp, tanh, sigmoid };

// out[i] = f(x[i]) for i < n; x and out may be the same buffer.
using FloatRun = void (*)(const float* x, float* out, int64_t n);

// The kernel for cpu_isa(), or nullptr when only the scalar path applies (scalar ISA, non-x86 build).
FloatRun transcendental_run(Transcendental f);

}  // namespace tg
