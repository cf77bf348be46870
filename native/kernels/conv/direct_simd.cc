// The direct convolution loops (direct_body.h) compiled for AVX2 and for AVX-512, each in its own namespace
// and target region; direct.cc calls them only when cpu_isa() allows it.
#include "kernels/conv/direct.h"

#include "runtime/cpu.h"

#ifdef TG_X86_SIMD
#include <algorithm>

namespace tg {
namespace conv {

namespace avx2 {
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#include "kernels/conv/direct_body.h"
#pragma GCC pop_options
}  // namespace avx2

namespace avx512 {
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,fma")
#include "kernels/conv/direct_body.h"
#pragma GCC pop_options
}  // namespace avx512

void direct_f32_avx2(DirectForwardFn<float>& f, DirectWeightFn<float>& wgrad, DirectInputFn<float>& dx) {
  f = avx2::forward_image<float>, wgrad = avx2::weight_image<float>, dx = avx2::input_image<float>;
}
void direct_f64_avx2(DirectForwardFn<double>& f, DirectWeightFn<double>& wgrad, DirectInputFn<double>& dx) {
  f = avx2::forward_image<double>, wgrad = avx2::weight_image<double>, dx = avx2::input_image<double>;
}
void direct_f32_avx512(DirectForwardFn<float>& f, DirectWeightFn<float>& wgrad, DirectInputFn<float>& dx) {
  f = avx512::forward_image<float>, wgrad = avx512::weight_image<float>, dx = avx512::input_image<float>;
}
void direct_f64_avx512(DirectForwardFn<double>& f, DirectWeightFn<double>& wgrad, DirectInputFn<double>& dx) {
  f = avx512::forward_image<double>, wgrad = avx512::weight_image<double>, dx = avx512::input_image<double>;
}

}  // namespace conv
}  // namespace tg

#else

namespace tg {
namespace conv {
void direct_f32_avx2(DirectForwardFn<float>&, DirectWeightFn<float>&, DirectInputFn<float>&) {}
void direct_f64_avx2(DirectForwardFn<double>&, DirectWeightFn<double>&, DirectInputFn<double>&) {}
void direct_f32_avx512(DirectForwardFn<float>&, DirectWeightFn<float>&, DirectInputFn<float>&) {}
void direct_f64_avx512(DirectForwardFn<double>&, DirectWeightFn<double>&, DirectInputFn<double>&) {}
}  // namespace conv
}  // namespace tg

#endif
