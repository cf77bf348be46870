#include "runtime/cpu.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace tg {
namespace {

Isa best_supported() {
#ifdef TG_X86_SIMD
  __builtin_cpu_init();  // needed when first called from a static initializer
  // __builtin_cpu_supports returns a bitmask, not 1: test truthiness only.
  if (__builtin_cpu_supports("avx512f")) return Isa::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
#endif
  return Isa::Scalar;
}

Isa clamp(Isa wanted) {
  const Isa best = best_supported();
  return static_cast<int>(wanted) > static_cast<int>(best) ? best : wanted;
}

Isa from_env() {
  const char* v = std::getenv("TENSORGRAD_CPU");
  if (v == nullptr) return best_supported();
  if (std::strcmp(v, "scalar") == 0) return Isa::Scalar;
  if (std::strcmp(v, "avx2") == 0) return clamp(Isa::Avx2);
  if (std::strcmp(v, "avx512") == 0) return clamp(Isa::Avx512);
  return best_supported();  // unknown value: ignored
}

std::atomic<int>& current() {
  static std::atomic<int> isa{static_cast<int>(from_env())};
  return isa;
}

}  // namespace

Isa cpu_isa() { return static_cast<Isa>(current().load(std::memory_order_relaxed)); }

void set_isa(Isa isa) { current().store(static_cast<int>(clamp(isa)), std::memory_order_relaxed); }

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512: return "avx512";
    case Isa::Avx2: return "avx2";
    default: return "scalar";
  }
}

}  // namespace tg
