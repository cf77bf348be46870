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
  double peak_reserved;  // highest `reserved` seen (at each reading, each heap growth and each mapped block)
  double requests;       // large allocations (>= kTrackedBytes) since load
  double hits;           // of those, whose pages were all resident already (reused memory, no page faults)
  double cap;            // the most freed memory kept before trimming
};

// Allocations at least this big are counted in requests/hits (smaller ones never reach the OS).
constexpr size_t kTrackedBytes = 64 << 10;

// Once per process: keep freed blocks below `cap` bytes instead of returning them to the OS; with
// `huge_pages`, ask for 2 MiB pages over the heap's growth.
void configure_tensor_cache(size_t cap, bool huge_pages);
// Whether the OS would grant `bytes` of fresh memory now: for a block that malloc would map by itself
// (256 MiB or more), a mapping of that size is made and dropped again. A failed malloc moves the calling
// thread to another glibc arena for good (blocks are then never counted, never advised, and those of
// 64 MiB or more are unmapped on free), so a tensor too large for memory must fail before reaching it.
bool can_map(size_t bytes);
// Brackets one allocation of `bytes`, made just before it: notes the heap top (and, on the main thread,
// pads the heap's growth); done(data), just after it, decides whether it reused memory and advises the
// heap's new part, if it grew, to use huge pages. An allocation that throws instead never reaches
// done(): the destructor then puts malloc's padding back, which would otherwise stay at 32 MiB for
// every arena of the process.
class AllocationBracket {
 public:
  // `cleared`: the allocator clears the block (calloc), which faults in any of its pages not resident.
  AllocationBracket(size_t bytes, bool cleared);
  ~AllocationBracket();
  AllocationBracket(const AllocationBracket&) = delete;
  AllocationBracket& operator=(const AllocationBracket&) = delete;
  void done(const void* data);

 private:
  size_t bytes_;
  uintptr_t top_before_ = 0;  // 0: nothing to finish (another thread, or done() has run)
  long faults_before_ = -1;   // the thread's minor faults before a cleared allocation (tracked sizes); -1: none
};
// `full`: also walk malloc's bins for in_use/cached/reserved (microseconds); else only the counters.
MemoryStats memory_stats(bool full);
// Returns every cached block to the OS (malloc_trim); the next allocations fault pages in again.
void empty_cache();

}  // namespace tg
