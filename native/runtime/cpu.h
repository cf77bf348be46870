#pragma once
// Run-time choice of the SIMD instruction set. The addon is built for baseline x86-64 (or arm64);
// faster kernels carry their own target attributes and are only called when cpu_isa() allows it.
// The x86 SIMD kernels use GCC/Clang target attributes and __builtin_cpu_supports. Elsewhere (arm64, MSVC)
// only the portable kernels are compiled and cpu_isa() is always Scalar.
#if defined(__x86_64__) && defined(__GNUC__)
#define TG_X86_SIMD 1
#endif

namespace tg {

// The kernel paths, slowest first; the one list of them (JS reads it as native.isas).
#define TG_ISAS(X) X(Scalar, "scalar") X(Avx2, "avx2") X(Avx512, "avx512")

enum class Isa : int {
#define TG_ENUM(id, name) id,
  TG_ISAS(TG_ENUM)
#undef TG_ENUM
  count
};
extern const char* const kIsaNames[];

// Chosen once from CPUID feature bits (never the CPU model), lowered by env TENSORGRAD_CPU=scalar|avx2|avx512.
Isa cpu_isa();
const char* isa_name(Isa isa);
// For tests: force a path at run time, clamped to what the CPU supports.
void set_isa(Isa isa);

}  // namespace tg
