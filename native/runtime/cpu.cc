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
  if (v != nullptr)
    for (int i = 0; i < int(Isa::count); ++i)
      if (std::strcmp(v, kIsaNames[i]) == 0) return clamp(static_cast<Isa>(i));
  return best_supported();  // unset or unknown value
}

std::atomic<int>& current() {
  static std::atomic<int> isa{static_cast<int>(from_env())};
  return isa;
}

}  // namespace

Isa cpu_isa() { return static_cast<Isa>(current().load(std::memory_order_relaxed)); }

void set_isa(Isa isa) { current().store(static_cast<int>(clamp(isa)), std::memory_order_relaxed); }

const char* const kIsaNames[] = {
#define TG_NAME(id, name) name,
    TG_ISAS(TG_NAME)
#undef TG_NAME
};

const char* isa_name(Isa isa) { return kIsaNames[static_cast<int>(isa)]; }

}  // namespace tg
