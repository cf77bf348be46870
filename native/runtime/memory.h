#pragma once
// The process allocator as tensorgrad's tensor cache.
//
// Tensor storage lives in ArrayBuffers that V8 allocates with malloc and frees with free() when a
// tensor is disposed or garbage-collected (V8 counts those bytes, so GC runs when they grow). glibc
// would hand every block of 128 KiB or more back to the OS on free (mmap/munmap, or a trimmed heap
// top), so the next tensor of that size takes fresh pages: a page fault per 4 KiB. At load we make
// malloc keep freed blocks, up to a cap, and reuse them: its size-class bins are the free lists.
// Memory that must still come fresh from the OS comes in 2 MiB pages where the kernel allows it
// (transparent huge pages on request): the heap grows in steps of kHeapStep, each advised before
// any tensor touches it.
#include <cstddef>
#include <cstdint>

namespace tg {

struct MemoryStats {
  double in_use;         // bytes malloc has handed out and not had back (all of the process's heap users)
  double cached;         // freed bytes malloc keeps for reuse (not the heap's never-touched top)
  double reserved;       // bytes malloc holds from the OS (in_use + cached + overhead, not the never-touched top)
  double peak_reserved;  // highest `reserved` seen (the main heap's size, sampled when it grows)
  double requests;       // large allocations (>= kTrackedBytes) since load
  double hits;           // of those, served from cached memory without growing the heap
  double cap;            // the most freed memory kept before trimming
};

// Allocations at least this big are counted in requests/hits (smaller ones never reach the OS).
constexpr size_t kTrackedBytes = 64 << 10;

// Once per process: keep freed blocks below `cap` bytes instead of returning them to the OS.
void configure_tensor_cache(size_t cap);
// Brackets one allocation of `bytes` at `data`: note the heap top before; after, whether it reused
// memory, and advise the heap's new part, if it grew, to use huge pages.
uintptr_t before_alloc(size_t bytes);
void after_alloc(uintptr_t top_before, const void* data, size_t bytes);
// `full`: also walk malloc's bins for in_use/cached/reserved (microseconds); else only the counters.
MemoryStats memory_stats(bool full);
// Returns every cached block to the OS (malloc_trim); the next allocations fault pages in again.
void empty_cache();

}  // namespace tg
