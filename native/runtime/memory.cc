#include "runtime/memory.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
#define TG_GLIBC_MALLOC 1
#endif

namespace tg {
namespace {

std::atomic<int64_t> g_requests{0}, g_hits{0};
std::atomic<double> g_peak{0};
std::atomic<size_t> g_cap{0};
// Hits are read off the main arena's break, which only the thread that loaded the addon first
// (Node's main thread) allocates from; other threads' allocations are not counted.
std::thread::id g_counted_thread;
uintptr_t g_heap_base = 0;

}  // namespace

void configure_tensor_cache(size_t cap) {
  static std::once_flag once;
  std::call_once(once, [cap] {
    g_cap = cap;
    g_counted_thread = std::this_thread::get_id();
#ifdef TG_GLIBC_MALLOC
    // Blocks up to 256 MiB come from the heap (whose free chunks are reused) rather than from
    // mmap (whose pages go back to the OS on free); the heap top is trimmed only beyond `cap`.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    g_heap_base = reinterpret_cast<uintptr_t>(sbrk(0)) - mallinfo2().arena;
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(cap, 1u << 30)));
#endif
  });
}

uintptr_t before_alloc() {
#ifdef TG_GLIBC_MALLOC
  if (std::this_thread::get_id() != g_counted_thread) return 0;
  return reinterpret_cast<uintptr_t>(sbrk(0));  // reads glibc's cached break: no system call
#else
  return 0;
#endif
}

void after_alloc(uintptr_t top_before, size_t bytes) {
  if (bytes < kTrackedBytes || top_before == 0) return;
  g_requests.fetch_add(1);
#ifdef TG_GLIBC_MALLOC
  // The main arena grows only by moving the break; an unmoved break means a cached block was reused.
  // Blocks above the mmap threshold never hit (counted as misses).
  if (bytes < (256u << 20) && reinterpret_cast<uintptr_t>(sbrk(0)) == top_before) {
    g_hits.fetch_add(1);
  } else {
    const double heap = double(reinterpret_cast<uintptr_t>(sbrk(0)) - g_heap_base);
    if (heap > g_peak) g_peak = heap;
  }
#else
  (void)top_before;
#endif
}

MemoryStats memory_stats(bool full) {
  MemoryStats s{};
  s.requests = double(g_requests.load());
  s.hits = double(g_hits.load());
  if (!full) return s;
#ifdef TG_GLIBC_MALLOC
  const struct mallinfo2 m = mallinfo2();
  s.in_use = double(m.uordblks) + double(m.hblkhd);
  s.cached = double(m.fordblks);
  s.reserved = double(m.arena) + double(m.hblkhd);
#endif
  s.peak_reserved = std::max<double>(g_peak, s.reserved);
  s.cap = double(g_cap);
  return s;
}

void empty_cache() {
#ifdef TG_GLIBC_MALLOC
  malloc_trim(0);
#endif
}

}  // namespace tg
