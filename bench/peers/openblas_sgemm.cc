// OpenBLAS sgemm peer, a server the bench asks one shape at a time (so that its rows interleave with
// tensorgrad's): C = op(A)·op(B), row-major, transposes passed as flags (as tensorgrad gets them).
// Threads come from OPENBLAS_NUM_THREADS. It prints {"config": ...} once, then reads lines M:N:K:TA:TB
// from stdin and answers each with the median seconds per call (or "error ..."), until stdin closes.
#include <cblas.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Same policy as bench/lib/timing.js: warm up, batch calls to ~60 ms, median of 7 batches.
template <class F>
static double timeIt(F fn) {
  int calls = 0;
  auto t0 = Clock::now();
  while (calls < 2 || secondsSince(t0) < 0.15) fn(), ++calls;
  double perCall = secondsSince(t0) / calls;
  int batch = std::max(1, int(0.06 / perCall + 0.999));
  std::vector<double> samples;
  for (int r = 0; r < 7; ++r) {
    auto s = Clock::now();
    for (int i = 0; i < batch; ++i) fn();
    samples.push_back(secondsSince(s) / batch);
  }
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

int main() {
  std::mt19937 rng(0);
  std::normal_distribution<float> normal;
  std::printf("{\"config\":\"%s\"}\n", openblas_get_config());
  std::fflush(stdout);
  char line[256];
  while (std::fgets(line, sizeof line, stdin)) {
    int M, N, K, ta, tb;
    if (std::sscanf(line, "%d:%d:%d:%d:%d", &M, &N, &K, &ta, &tb) != 5) {
      std::printf("error: expected M:N:K:TA:TB, got %s", line);
      std::fflush(stdout);
      continue;
    }
    std::vector<float> a(size_t(M) * K), b(size_t(K) * N), c(size_t(M) * N);
    for (float& x : a) x = normal(rng);
    for (float& x : b) x = normal(rng);
    // Leading dims of the stored (untransposed-in-memory) operands, as in a row-major tensor.
    int lda = ta ? M : K, ldb = tb ? K : N;
    double sec = timeIt([&] {
      cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, 1.0f,
                  a.data(), lda, b.data(), ldb, 0.0f, c.data(), N);
    });
    std::printf("%.9g\n", sec);
    std::fflush(stdout);
  }
}
