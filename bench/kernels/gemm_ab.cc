// Kernel-only A/B of tensorgrad's sgemm/dgemm against OpenBLAS's cblas_*gemm in one process: the tensorgrad
// GEMM sources are compiled in (no Node, no N-API, no output allocation), so this separates kernel time from
// binding overhead. Calls alternate in short batches (≈ 2 ms) and the report gives the median and the best
// batch of each: on a shared machine the best batch is the one least disturbed by other processes. Before
// each batch the process's other threads are let go quiet: both libraries' workers spin after a call
// (OpenBLAS's for 2^28 cycles, ≈ 0.1 s), and at 2 threads on 2 cores a batch started during the other
// library's spin ran at half speed (128×512×256: tensorgrad 94 GFLOP/s beside OpenBLAS's spinner, 178 when
// OpenBLAS's spin was cut short). The median of the process's CPU time per batch is given too: on a loaded
// machine time spent descheduled is not counted.
// Usage (see gemm-ab.sh): gemm_ab THREADS M:N:K:TA:TB ...   env DTYPE=float64 for dgemm.
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <dirent.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kernels/gemm/gemm.h"
#include "runtime/threadpool.h"

extern "C" void openblas_set_num_threads(int);

namespace {

double cpu_now() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// CPU nanoseconds of this process's threads other than the calling one (Linux schedstat; 0 elsewhere).
double others_cpu_ns() {
  const long self = syscall(SYS_gettid);
  double sum = 0;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return 0;
  while (const dirent* e = readdir(dir)) {
    const long tid = std::atol(e->d_name);
    if (tid <= 0 || tid == self) continue;
    const std::string path = "/proc/self/task/" + std::string(e->d_name) + "/schedstat";
    if (FILE* f = std::fopen(path.c_str(), "r")) {
      double ns = 0;
      if (std::fscanf(f, "%lf", &ns) == 1) sum += ns;
      std::fclose(f);
    }
  }
  closedir(dir);
  return sum;
}

// Waits (at most 0.4 s) until the other threads ran for under a tenth of a 1 ms window.
void wait_quiet() {
  const double start = now();
  double before = others_cpu_ns();
  while (now() - start < 0.4) {
    const double t0 = now();
    usleep(1000);
    const double after = others_cpu_ns();
    if (after - before < 0.1 * (now() - t0) * 1e9) return;
    before = after;
  }
}

struct Timing {
  double median, best;
};

Timing summarise(std::vector<double> s) {
  std::sort(s.begin(), s.end());
  return {s[s.size() / 2], s.front()};
}

template <typename T>
void compare(int threads, int M, int N, int K, bool ta, bool tb) {
  std::mt19937 rng(0);
  std::normal_distribution<T> normal;
  std::vector<T> a(size_t(M) * K), b(size_t(K) * N), c(size_t(M) * N);
  for (T& x : a) x = normal(rng);
  for (T& x : b) x = normal(rng);
  const int lda = ta ? M : K, ldb = tb ? K : N;
  const auto tA = ta ? CblasTrans : CblasNoTrans, tB = tb ? CblasTrans : CblasNoTrans;
  auto ours = [&] {
    if constexpr (sizeof(T) == 4) tg::sgemm(ta, tb, M, N, K, 1, a.data(), lda, b.data(), ldb, 0, c.data(), N);
    else tg::dgemm(ta, tb, M, N, K, 1, a.data(), lda, b.data(), ldb, 0, c.data(), N);
  };
  auto blas = [&] {
    if constexpr (sizeof(T) == 4) cblas_sgemm(CblasRowMajor, tA, tB, M, N, K, 1, a.data(), lda, b.data(), ldb, 0, c.data(), N);
    else cblas_dgemm(CblasRowMajor, tA, tB, M, N, K, 1, a.data(), lda, b.data(), ldb, 0, c.data(), N);
  };
  const double flops = 2.0 * M * N * K;
  const int batch = std::max(1, int(0.002 / (flops / 150e9)));
  for (int w = 0; w < 3 * batch; ++w) ours(), blas();
  std::vector<double> st, sb, ct, cb;
  auto time_batch = [&](auto& fn, std::vector<double>& wall, std::vector<double>& cpu) {
    wait_quiet();
    const double t0 = now(), c0 = cpu_now();
    for (int i = 0; i < batch; ++i) fn();
    cpu.push_back((cpu_now() - c0) / batch);
    wall.push_back((now() - t0) / batch);
  };
  for (int r = 0; r < 61; ++r) {
    time_batch(ours, st, ct);
    time_batch(blas, sb, cb);
  }
  const Timing t = summarise(st), o = summarise(sb), tc = summarise(ct), oc = summarise(cb);
  const double g = flops / 1e9;
  std::printf("%5d %5d %5d %s%s  %d | median tg %6.1f blas %6.1f (%.2fx) | best tg %6.1f blas %6.1f (%.2fx) | cpu %.2fx\n",
              M, N, K, ta ? "T" : "N", tb ? "T" : "N", threads, g / t.median, g / o.median, o.median / t.median,
              g / t.best, g / o.best, o.best / t.best, oc.median / tc.median);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s THREADS M:N:K:TA:TB ...\n", argv[0]);
    return 2;
  }
  const int threads = std::atoi(argv[1]);
  const bool f64 = std::getenv("DTYPE") && std::string(std::getenv("DTYPE")) == "float64";
  tg::set_num_threads(threads);
  openblas_set_num_threads(threads);
  std::printf("    M     N     K op  T   GFLOP/s (%s; ratio = OpenBLAS time / tensorgrad time; cpu: median CPU time)\n", f64 ? "dgemm" : "sgemm");
  for (int i = 2; i < argc; ++i) {
    int M, N, K, ta, tb;
    if (std::sscanf(argv[i], "%d:%d:%d:%d:%d", &M, &N, &K, &ta, &tb) != 5) return 2;
    if (f64) compare<double>(threads, M, N, K, ta, tb);
    else compare<float>(threads, M, N, K, ta, tb);
  }
}
