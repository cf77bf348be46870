#pragma once
// A seeded generator (xoshiro256**) and the fills built on it. Each addon instance (one per
// worker thread) owns its generator, so manualSeed in one worker never disturbs another.
#include <cstdint>

namespace tg {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0x5eed) { seed_with(seed); }
  void seed_with(uint64_t seed);
  uint64_t next();
  double uniform();  // [0, 1) with 53 random bits
  double normal();   // standard normal (Box-Muller, one value per call)

 private:
  uint64_t s_[4];
};

template <class T>
void rand_uniform(Rng& r, int64_t n, T* out, double lo, double hi);
template <class T>
void rand_normal(Rng& r, int64_t n, T* out, double mean, double std);
// Integers uniform in [lo, hi).
void rand_int(Rng& r, int64_t n, int32_t* out, int64_t lo, int64_t hi);
// out[i] = value with probability keep, else 0 (dropout masks). Sequential: a seed gives the same
// mask at any thread count.
template <class T>
void rand_keep_mask(Rng& r, int64_t n, double keep, T value, T* out);
// A uniformly random permutation of 0..n-1 (Fisher-Yates).
void rand_perm(Rng& r, int64_t n, int32_t* out);

}  // namespace tg
