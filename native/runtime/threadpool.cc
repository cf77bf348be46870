#include "runtime/threadpool.h"

#include "runtime/condvar.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

namespace tg {
namespace {

using Fn = std::function<void(int64_t, int64_t)>;

// True on pool workers always, and on a caller while it runs its own chunk: nested calls then run inline.
thread_local bool t_in_region = false;

void cpu_relax() {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_ia32_pause();
#elif defined(__GNUC__) && defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Spins for at most `budget`, returning true as soon as done() holds.
template <typename Pred>
bool spin_until(Pred done, std::chrono::microseconds budget) {
  const auto end = std::chrono::steady_clock::now() + budget;
  for (int i = 0;; ++i) {
    if (done()) return true;
    cpu_relax();
    if ((i & 255) == 255 && std::chrono::steady_clock::now() > end) return false;
  }
}

constexpr std::chrono::microseconds kWorkerSpin{200};
constexpr std::chrono::microseconds kCallerSpin{2000};

// The first exception of a region, carried to the caller by kind and message. std::exception_ptr would keep the
// exact object, but GCC 11+ inlines its copy and destructor into calls that need CXXABI_1.3.13, raising the
// libstdc++ a prebuilt addon needs. The binding only reports what() of a std::exception, so kind+message suffice.
class Failure {
 public:
  // Call from inside a catch block.
  void record() noexcept {
    if (kind_ != Kind::None) return;
    try {
      throw;
    } catch (const std::bad_alloc&) {
      kind_ = Kind::BadAlloc;
    } catch (const std::invalid_argument& e) {
      keep(Kind::InvalidArgument, e.what());
    } catch (const std::exception& e) {
      keep(Kind::Other, e.what());
    } catch (...) {
      keep(Kind::Other, "unknown error in a parallel region");
    }
  }

  // Throws what was recorded (if anything) and clears it.
  void rethrow() {
    const Kind kind = kind_;
    kind_ = Kind::None;
    switch (kind) {
      case Kind::None: return;
      case Kind::BadAlloc: throw std::bad_alloc();
      case Kind::InvalidArgument: throw std::invalid_argument(std::move(what_));
      case Kind::Other: throw std::runtime_error(std::move(what_));
    }
  }

 private:
  enum class Kind { None, BadAlloc, InvalidArgument, Other };

  void keep(Kind kind, const char* what) noexcept {
    try {
      what_ = what;
      kind_ = kind;
    } catch (...) {  // no memory left for the message
      kind_ = Kind::BadAlloc;
    }
  }

  Kind kind_ = Kind::None;
  std::string what_;
};

struct Job {
  const Fn* fn = nullptr;
  int64_t n = 0;
  int chunks = 0;
  uint64_t seq = 0;  // which region: a late worker must never claim a chunk of a newer one
};

class Pool {
 public:
  int threads() const { return threads_.load(std::memory_order_relaxed); }

  void resize(int n) {
    acquire();
    if (static_cast<int>(workers_.size()) == n - 1) {
      threads_.store(n, std::memory_order_relaxed);
      release();
      return;
    }
    stop_workers();
    threads_.store(n, std::memory_order_relaxed);
    // A new worker must not miss a region that starts before it first runs: it begins from today's generation.
    const uint64_t gen = generation_.load(std::memory_order_relaxed);
    for (int w = 1; w < n; ++w) workers_.emplace_back([this, w, gen] { worker_loop(w, gen); });
    release();
  }

  // Returns false (and does nothing) when the pool is busy with another region.
  bool try_run(const Fn& f, int64_t n, int chunks) {
    bool expected = false;
    if (!busy_.compare_exchange_strong(expected, true, std::memory_order_acquire)) return false;
    if (chunks > static_cast<int>(workers_.size()) + 1) {  // shrunk since the caller read num_threads()
      release();
      return false;
    }
    const Job job = start(f, n, chunks);
    t_in_region = true;
    drain(job, 0);
    t_in_region = false;
    finish();
    return true;
  }

 private:
  void acquire() {
    bool expected = false;
    while (!busy_.compare_exchange_weak(expected, true, std::memory_order_acquire)) {
      expected = false;
      std::this_thread::yield();
    }
  }
  void release() { busy_.store(false, std::memory_order_release); }

  Job start(const Fn& f, int64_t n, int chunks) {
    pending_.store(chunks, std::memory_order_relaxed);
    const Job job{&f, n, chunks, ++seq_};
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = job;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    return job;
  }

  // Chunk c belongs to participant c (the caller is 0), so each thread keeps working on the same
  // part of C from one call to the next (its caches stay warm). But a chunk is claimed before it
  // runs, and a participant that is done takes the chunks nobody has claimed yet: a worker the OS
  // has not scheduled never holds the caller up. Which thread runs a chunk doesn't change its
  // bounds, so results stay the same. A slot holds the seq of the last region that claimed it.
  bool claim(const Job& job, int c) {
    uint64_t v = claimed_[c].load(std::memory_order_acquire);
    while (v < job.seq)
      if (claimed_[c].compare_exchange_weak(v, job.seq, std::memory_order_acq_rel)) return true;
    return false;
  }

  void drain(const Job& job, int first) {
    for (int i = 0; i < job.chunks; ++i) {
      const int c = (first + i) % job.chunks;
      if (!claim(job, c)) continue;
      run(*job.fn, job.n, job.chunks, c);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mu_);  // pairs with the caller's predicate check under mu_
        done_.notify_one();
      }
    }
  }

  void finish() {
    auto done = [this] { return pending_.load(std::memory_order_acquire) == 0; };
    if (!spin_until(done, kCallerSpin)) {
      std::unique_lock<std::mutex> lock(mu_);
      done_.wait(lock, done);
    }
    Failure failure = std::move(failure_);
    failure_ = Failure();
    release();
    failure.rethrow();
  }

  // Runs chunk c of the current region; an exception is kept for the caller instead of escaping.
  void run(const Fn& f, int64_t n, int chunks, int c) {
    try {
      f(n * c / chunks, n * (c + 1) / chunks);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      failure_.record();
    }
  }

  void worker_loop(int id, uint64_t seen) {
    t_in_region = true;
    for (;;) {
      auto fresh = [&] { return generation_.load(std::memory_order_acquire) != seen; };
      spin_until(fresh, kWorkerSpin);
      Job job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [&] { return stop_ || fresh(); });
        if (stop_) return;
        seen = generation_.load(std::memory_order_relaxed);
        job = job_;
      }
      drain(job, id);
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    stop_ = false;
  }

  std::atomic<bool> busy_{false};
  std::atomic<int> threads_{1};
  std::vector<std::thread> workers_;
  std::mutex mu_;
  CondVar wake_, done_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::unique_ptr<std::atomic<uint64_t>[]> claimed_{new std::atomic<uint64_t>[kMaxThreads]()};
  uint64_t seq_ = 0;  // written only by the thread holding busy_
  Job job_;
  bool stop_ = false;
  Failure failure_;
};

Pool& pool() {
  // Leaked on purpose (see threadpool.h): no destructor joins parked workers during exit.
  static Pool* p = [] {
    auto* q = new Pool();
    q->resize(default_num_threads());
    return q;
  }();
  return *p;
}

int env_threads() {
  const char* v = std::getenv("TENSORGRAD_NUM_THREADS");
  return v ? std::atoi(v) : 0;
}

// ceil(quota / period) from a cgroup file, or 0 when unlimited or absent.
int quota_cpus(const std::string& quota_file, const std::string& period_file) {
  std::ifstream q(quota_file);
  std::string quota;
  long long period = 0;
  if (!(q >> quota)) return 0;
  if (period_file.empty()) {
    q >> period;  // cgroup v2 cpu.max: "<quota|max> <period>"
  } else {
    std::ifstream p(period_file);
    p >> period;
  }
  if (quota == "max" || period <= 0) return 0;
  const long long qv = std::atoll(quota.c_str());
  return qv > 0 ? static_cast<int>((qv + period - 1) / period) : 0;
}

int cgroup_cpus() {
  int v2 = quota_cpus("/sys/fs/cgroup/cpu.max", "");
  if (v2 > 0) return v2;
  return quota_cpus("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu/cpu.cfs_period_us");
}

int affinity_cpus() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
#endif
  return static_cast<int>(std::thread::hardware_concurrency());
}

}  // namespace

int default_num_threads() {
  if (env_threads() > 0) return env_threads();
  int n = affinity_cpus();
  const int quota = cgroup_cpus();
  if (quota > 0) n = std::min(n, quota);
  return std::max(n, 1);
}

int num_threads() { return pool().threads(); }

void set_num_threads(int n) {
  if (t_in_region) return;
  pool().resize(std::max(n, 1));
}

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& f) {
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  const int chunks = static_cast<int>(std::min<int64_t>(num_threads(), std::max<int64_t>(n / grain, 1)));
  if (chunks == 1) {
    f(0, n);
    return;
  }
  if (!t_in_region && pool().try_run(f, n, chunks)) return;
  for (int c = 0; c < chunks; ++c) f(n * c / chunks, n * (c + 1) / chunks);
}

}  // namespace tg
