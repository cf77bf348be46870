#include "kernels/gemm/ukernel.h"
#include "runtime/cpu.h"

namespace tg {
namespace gemm {

template <>
Ukernel<float> select_ukernel<float>() {
  switch (cpu_isa()) {
    case Isa::Avx512: return ukernel_f32_avx512();
    case Isa::Avx2: return ukernel_f32_avx2();
    default: return ukernel_f32_generic();
  }
}

template <>
Ukernel<double> select_ukernel<double>() {
  switch (cpu_isa()) {
    case Isa::Avx512: return ukernel_f64_avx512();
    case Isa::Avx2: return ukernel_f64_avx2();
    default: return ukernel_f64_generic();
  }
}

}  // namespace gemm
}  // namespace tg
