// LD_PRELOAD shim for test/memory/hit-count.test.ts: a mapping 4 MiB above the break, so that glibc's main
// heap cannot grow past it, as when one of V8's mappings lies there (about 1 % of Node processes here).
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
__attribute__((constructor)) static void block(void) {
  uintptr_t top = (uintptr_t)sbrk(0);
  uintptr_t at = (top + (4u << 20)) & ~(uintptr_t)0xfff;
  mmap((void*)at, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}
