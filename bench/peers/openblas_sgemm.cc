// OpenBLAS sgemm peer, a server the bench asks one shape at a time (so that its rows interleave with
// tensorgrad's): C = op(A)·op(B), row-major, transposes passed as flags (as tensorgrad gets them).
// Threads come from OPENBLAS_NUM_THREADS. It prints {"config": ...} once, then reads requests
// from stdin as "prepare M:N:K:TA:TB" (set up and warm up; answers "ready") and "batch" (time one batch of
// calls; answers the seconds per call), or "error ..." for anything else, until stdin closes.
#include <cblas.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Same policy as bench/lib/timing.js's prepare(): warm up for 150 ms, then batches of calls sized to ~60 ms.
struct Timer {
  std::function<void()> fn;
  int size = 1;
  void warm() {
    int calls = 0;
    auto t0 = Clock::now();
    while (calls < 2 || secondsSince(t0) < 0.15) fn(), ++calls;
    size = std::max(1, int(0.06 / (secondsSince(t0) / calls) + 0.999));
  }
  double batch() const {  // seconds per call over one batch
    auto s = Clock::now();
    for (int i = 0; i < size; ++i) fn();
    return secondsSince(s) / size;
  }
};

int main() {
  std::mt19937 rng(0);
  std::normal_distribution<float> normal;
  std::printf("{\"config\":\"%s\"}\n", openblas_get_config());
  std::fflush(stdout);
  std::vector<float> a, b, c;
  Timer timer;
  bool ready = false;
  char line[256];
  while (std::fgets(line, sizeof line, stdin)) {
    int M, N, K, ta, tb;
    if (std::strncmp(line, "batch", 5) == 0 && ready) {
      std::printf("%.9g\n", timer.batch());
    } else if (std::sscanf(line, "prepare %d:%d:%d:%d:%d", &M, &N, &K, &ta, &tb) == 5) {
      a.assign(size_t(M) * K, 0), b.assign(size_t(K) * N, 0), c.assign(size_t(M) * N, 0);
      for (float& x : a) x = normal(rng);
      for (float& x : b) x = normal(rng);
      // Leading dims of the stored (untransposed-in-memory) operands, as in a row-major tensor.
      const int lda = ta ? M : K, ldb = tb ? K : N;
      timer.fn = [&, M, N, K, ta, tb, lda, ldb] {
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M, N, K, 1.0f,
                    a.data(), lda, b.data(), ldb, 0.0f, c.data(), N);
      };
      timer.warm();
      ready = true;
      std::printf("ready\n");
    } else {
      std::printf("error: expected \"prepare M:N:K:TA:TB\" or \"batch\" after it, got %s", line);
    }
    std::fflush(stdout);
  }
}
