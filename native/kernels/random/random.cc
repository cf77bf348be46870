#include "kernels/random/random.h"

#include <cmath>

namespace tg {

namespace {
inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
inline uint64_t splitmix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

void Rng::seed_with(uint64_t seed) {
  for (auto& w : s_) w = splitmix(seed);
}

uint64_t Rng::next() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

template <class T>
void rand_uniform(Rng& r, int64_t n, T* out, double lo, double hi) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(lo + (hi - lo) * r.uniform());
}

template <class T>
void rand_normal(Rng& r, int64_t n, T* out, double mean, double std) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(mean + std * r.normal());
}

void rand_int(Rng& r, int64_t n, int32_t* out, int64_t lo, int64_t hi) {
  const uint64_t range = static_cast<uint64_t>(hi - lo);
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<int32_t>(lo + static_cast<int64_t>(r.next() % range));
}

template <class T>
void rand_keep_mask(Rng& r, int64_t n, double keep, T value, T* out) {
  // uniform() < keep, compared on the 53 random bits without converting each draw to double, and
  // applied by a multiply: a branch on random bits would mispredict half the time.
  const uint64_t below = uint64_t(keep * 0x1.0p53);
  // (bits − below) >> 63 is 1 exactly when bits < below (both below 2^53): the compiler keeps it as
  // arithmetic where a comparison becomes a branch.
  for (int64_t i = 0; i < n; ++i) out[i] = value * T(((r.next() >> 11) - below) >> 63);
}

void rand_perm(Rng& r, int64_t n, int32_t* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<int32_t>(i);
  for (int64_t i = n - 1; i > 0; --i) {
    const int64_t j = static_cast<int64_t>(r.next() % static_cast<uint64_t>(i + 1));
    const int32_t t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
}

template void rand_uniform<float>(Rng&, int64_t, float*, double, double);
template void rand_uniform<double>(Rng&, int64_t, double*, double, double);
template void rand_normal<float>(Rng&, int64_t, float*, double, double);
template void rand_normal<double>(Rng&, int64_t, double*, double, double);
template void rand_keep_mask<float>(Rng&, int64_t, double, float, float*);
template void rand_keep_mask<double>(Rng&, int64_t, double, double, double*);

}  // namespace tg
