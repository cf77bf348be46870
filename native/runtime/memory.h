#pragma once
// The process allocator as tensorgrad's tensor cache.
//
// Tensor storage lives in ArrayBuffers that V8 allocates with malloc and frees with free() when a
// tensor is disposed or garbage-collected (V8 counts those bytes, so GC runs when they grow). glibc
// would hand every block of 128 KiB or more back to the OS on free (mmap/munmap, or a trimmed heap
// top), so the next tensor of that size takes fresh pages: a page fault per 4 KiB. At load we make
// malloc keep freed blocks, up to a cap, and reuse them: its size-class bins are the free lists.
#include <cstddef>
#include <cstdint>

namespace tg {

struct MemoryStats {
  double in_use;         // bytes malloc has handed out and not had back (all of the process's heap users)
  double cached;         // freed bytes malloc keeps for reuse
  double reserved;       // bytes malloc holds from the OS (in_use + cached + overhead)
  double peak_reserved;  // highest `reserved` seen (the main heap's size, sampled when it grows)
  double requests;       // large allocations (>= kTrackedBytes) since load
  double hits;           // of those, served from cached memory without growing the heap
  double cap;            // the most freed memory kept before trimming
};

// Allocations at least this big are counted in requests/hits (smaller ones never reach the OS).
constexpr size_t kTrackedBytes = 64 << 10;

// Once per process: keep freed blocks below `cap` bytes instead of returning them to the OS.
void configure_tensor_cache(size_t cap);
// Brackets one allocation of `bytes`: note the heap top before, and after whether it grew.
uintptr_t before_alloc();
void after_alloc(uintptr_t top_before, size_t bytes);
// `full`: also walk malloc's bins for in_use/cached/reserved (microseconds); else only the counters.
MemoryStats memory_stats(bool full);
// Returns every cached block to the OS (malloc_trim); the next allocations fault pages in again.
void empty_cache();

}  // namespace tg
