// Per-core fp32 FMA peak: 12 independent FMA chains (enough to cover FMA latency × issue width),
// timed in thread CPU time so that a busy neighbour on a shared machine does not lower it (the
// wall-clock figure is printed too). Prints JSON {"isa": ..., "gflopsPerCore": x, "gflopsWall": y}.
#include <immintrin.h>
#include <time.h>
#include <cstdio>

static volatile float sink;
constexpr long kIters = 40'000'000;

static double seconds(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

__attribute__((target("avx512f"))) static void chains512() {
  __m512 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm512_set1_ps(float(i));
  const __m512 mul = _mm512_set1_ps(0.999999f), add = _mm512_set1_ps(1e-6f);
  for (long it = 0; it < kIters; ++it)
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) acc[i] = _mm512_fmadd_ps(acc[i], mul, add);
  float s = 0;
  for (int i = 0; i < 12; ++i) s += _mm512_reduce_add_ps(acc[i]);
  sink = s;
}

__attribute__((target("avx2,fma"))) static void chains256() {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(float(i));
  const __m256 mul = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-6f);
  for (long it = 0; it < kIters; ++it)
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], mul, add);
  float lanes[8], s = 0;
  for (int i = 0; i < 12; ++i) {
    _mm256_storeu_ps(lanes, acc[i]);
    for (float x : lanes) s += x;
  }
  sink = s;
}

// Best of a few runs, in GFLOP/s of thread CPU time and of wall time.
static void report(const char* isa, void (*body)(), int lanes) {
  double bestCpu = 0, bestWall = 0, flops = 2.0 * lanes * 12 * double(kIters);
  for (int rep = 0; rep < 5; ++rep) {
    double c0 = seconds(CLOCK_THREAD_CPUTIME_ID), w0 = seconds(CLOCK_MONOTONIC);
    body();
    double cpu = flops / (seconds(CLOCK_THREAD_CPUTIME_ID) - c0) / 1e9, wall = flops / (seconds(CLOCK_MONOTONIC) - w0) / 1e9;
    if (cpu > bestCpu) bestCpu = cpu;
    if (wall > bestWall) bestWall = wall;
  }
  std::printf("{\"isa\":\"%s\",\"gflopsPerCore\":%.1f,\"gflopsWall\":%.1f}\n", isa, bestCpu, bestWall);
}

int main() {
  if (__builtin_cpu_supports("avx512f"))
    report("avx512f", chains512, 16);
  else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    report("avx2+fma", chains256, 8);
  else
    std::printf("{\"isa\":\"none\"}\n");
}
