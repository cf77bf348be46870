#include "runtime/memory.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#define TG_GLIBC_MALLOC 1
#endif

namespace tg {
namespace {

std::atomic<int64_t> g_requests{0}, g_hits{0};
std::atomic<double> g_peak{0};
std::atomic<size_t> g_cap{0};
// Hits are counted for the process's main thread (Node's) only, even where a worker thread loaded the
// addon first: a worker's blocks come from other glibc arenas.
uintptr_t g_heap_base = 0;
// The end of the highest heap block handed out on that thread: memory below it has been touched,
// memory above it (the rest of the last heap step) has not: for the cached and reserved figures.
uintptr_t g_touched_end = 0;
// Whether fresh heap is asked for in huge pages (env TENSORGRAD_HUGE_PAGES=0 turns it off).
bool g_huge_pages = true;

// peak_reserved only rises, whichever thread reads the figures.
void raise_peak(double bytes) {
  double peak = g_peak.load();
  while (bytes > peak && !g_peak.compare_exchange_weak(peak, bytes)) {
  }
}

#ifdef TG_GLIBC_MALLOC
constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
// A large allocation that grows the heap grows it by this much more, so that whole 2 MiB pages lie in
// each step. Only those: the pad is malloc's setting for every arena, and other threads' arenas would
// keep that much untouched memory each, which malloc's figures count as freed.
constexpr int kHeapStep = 32 << 20, kDefaultTopPad = 128 << 10;
// Whether an allocation of `bytes` on the main thread runs with the heap step as malloc's top pad.
bool padded(size_t bytes) { return g_huge_pages && bytes >= kTrackedBytes; }
// Blocks from this size come from mmap, not the heap (see configure_tensor_cache).
constexpr size_t kMmapThreshold = size_t(256) << 20;

// Whether this is the process's main thread, the one on glibc's main arena (tid == pid).
bool on_main_thread() {
  static thread_local const bool main = syscall(SYS_gettid) == getpid();
  return main;
}

uintptr_t heap_top() { return reinterpret_cast<uintptr_t>(sbrk(0)); }  // glibc's cached break: no system call

// Page faults an allocation from reused memory may take in malloc's own headers (seen: up to 3).
constexpr long kBookkeepingFaults = 4;

// This thread's minor page faults so far.
long thread_faults() {
  struct rusage u;
  return getrusage(RUSAGE_THREAD, &u) == 0 ? u.ru_minflt : -1;
}

// Whether every page wholly inside [begin, end) is resident (mincore), in steps of 4,096 pages. A page
// the block only shares (malloc's header below it, the unused alignment slack at its end above) may
// belong to memory never written.
bool resident(uintptr_t begin, uintptr_t end) {
  static const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
  constexpr uintptr_t kStep = 4096;
  unsigned char in[kStep];
  const uintptr_t last = end & ~(page - 1);
  for (uintptr_t p = (begin + page - 1) & ~(page - 1); p < last;) {
    const uintptr_t n = std::min(kStep, (last - p) / page);
    if (mincore(reinterpret_cast<void*>(p), n * page, in) != 0) return false;
    for (uintptr_t i = 0; i < n; ++i)
      if (!(in[i] & 1)) return false;
    p += n * page;
  }
  return true;
}

// Asks for huge pages over the heap's new part [from, to). A first touch costs ~10 µs per 4 KiB page
// in a VM; a 2 MiB page costs ~0.5 µs per 4 KiB of it, once the host has backed that memory.
void advise_huge_pages(uintptr_t from, uintptr_t to) {
#ifdef MADV_HUGEPAGE
  if (!g_huge_pages) return;
  const uintptr_t begin = (from + kHugePage - 1) & ~(kHugePage - 1), end = to & ~(kHugePage - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)from, (void)to;
#endif
}

// The heap top's bytes no block has touched yet: free in malloc's figures, but neither cached nor held.
double untouched_top(const struct mallinfo2& m) {
  const uintptr_t top = heap_top(), top_chunk = top - m.keepcost;
  return double(top - std::min(top, std::max(top_chunk, g_touched_end)));
}

// Bytes malloc holds from the OS: its heaps and mapped blocks, less the heap top no block has touched.
double reserved_bytes(const struct mallinfo2& m) { return double(m.arena) + double(m.hblkhd) - untouched_top(m); }
#endif

}  // namespace

void configure_tensor_cache(size_t cap, bool huge_pages) {
  static std::once_flag once;
  std::call_once(once, [cap, huge_pages] {
    g_cap = cap;
    g_huge_pages = huge_pages;
#ifdef TG_GLIBC_MALLOC
    // Blocks up to 256 MiB come from the heap (whose free chunks are reused) rather than from
    // mmap (whose pages go back to the OS on free); the heap top is trimmed only beyond `cap`.
    mallopt(M_MMAP_THRESHOLD, int(kMmapThreshold));
    g_heap_base = reinterpret_cast<uintptr_t>(sbrk(0)) - mallinfo2().arena;
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min<size_t>(cap, 1u << 30)));
    g_touched_end = heap_top();
#endif
  });
}

bool can_map(size_t bytes) {
#ifdef TG_GLIBC_MALLOC
  if (bytes < kMmapThreshold) return true;  // smaller blocks fail only when memory is truly exhausted
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return false;
  munmap(p, bytes);
#endif
  (void)bytes;
  return true;
}

AllocationBracket::AllocationBracket(size_t bytes, bool cleared) : bytes_(bytes) {
#ifdef TG_GLIBC_MALLOC
  if (!on_main_thread()) return;
  if (padded(bytes)) mallopt(M_TOP_PAD, kHeapStep);  // ~75 ns
  if (cleared && bytes >= kTrackedBytes) faults_before_ = thread_faults();
  top_before_ = heap_top();
  g_touched_end = std::min(g_touched_end, top_before_);  // a trim gave the memory above the top back
#endif
}

AllocationBracket::~AllocationBracket() {
#ifdef TG_GLIBC_MALLOC
  if (top_before_ != 0 && padded(bytes_)) mallopt(M_TOP_PAD, kDefaultTopPad);  // the allocation threw
#endif
}

void AllocationBracket::done(const void* data) {
  const uintptr_t top_before = top_before_;
  if (top_before == 0) return;
  top_before_ = 0;
#ifdef TG_GLIBC_MALLOC
  const size_t bytes = bytes_;
  if (padded(bytes)) mallopt(M_TOP_PAD, kDefaultTopPad);
  const uintptr_t top = heap_top(), begin = reinterpret_cast<uintptr_t>(data), end = begin + bytes;
  if (top != top_before) advise_huge_pages(top_before, top);
  const bool in_heap = begin >= g_heap_base && end <= top;
  if (in_heap) g_touched_end = std::max(g_touched_end, end);
  if (bytes < kTrackedBytes) return;
  // Reused memory: every page of the block is resident (fresh memory, never touched, is not), and, for a
  // block calloc cleared, the allocation faulted at most a few pages in: clearing a reused block faults in
  // every page a trim handed back (16 or more in 64 KiB; after emptyCache() and the idle trim the heap is
  // not advised for huge pages), while malloc's own bookkeeping (the next chunk's header) may touch a
  // page or two. Read off the pages themselves, this holds whatever malloc did: a heap whose break is
  // blocked by another mapping (V8 puts one there in about 1 % of processes), a trim in between, another
  // allocator (ASan's). 0.5 µs for 256 KiB, 17 µs for 32 MiB (mincore), 0.4 µs more when cleared.
  const bool hit = (faults_before_ < 0 || thread_faults() - faults_before_ <= kBookkeepingFaults) && resident(begin, end);
  g_requests.fetch_add(1);
  if (hit) {
    g_hits.fetch_add(1);
  } else if (in_heap) {
    raise_peak(double(g_touched_end - g_heap_base));
  } else {
    // A mapped block, which may be unmapped before any reading: its page faults (≥ 256 MiB of them) dwarf
    // mallinfo2's microseconds.
    raise_peak(reserved_bytes(mallinfo2()));
  }
#else
  (void)data;
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
  s.cached = double(m.fordblks) - untouched_top(m);
  s.reserved = reserved_bytes(m);
#endif
  raise_peak(s.reserved);
  s.peak_reserved = g_peak.load();
  s.cap = double(g_cap);
  return s;
}

void empty_cache() {
#ifdef TG_GLIBC_MALLOC
  malloc_trim(0);
#ifdef MADV_NOHUGEPAGE
  // malloc_trim gave back the pages of every free block. In an advised range khugepaged would fill each
  // 2 MiB that still holds a live page back in whole (seen: RSS 69 → 123 MB within 45 s), so the heap as
  // it now stands loses the advice; what the heap grows by later is advised again.
  const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE)), begin = (g_heap_base + page - 1) & ~(page - 1);
  const uintptr_t end = heap_top() & ~(page - 1);
  if (g_huge_pages && g_heap_base != 0 && end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_NOHUGEPAGE);
#endif
#endif
}

}  // namespace tg
