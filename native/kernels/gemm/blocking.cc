#include "kernels/gemm/blocking.h"

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

#include <algorithm>
#include <fstream>
#include <string>

namespace tg {
namespace gemm {
namespace {

struct CacheSizes {
  int64_t l1, l2, l3;
};

// Size in bytes of /sys/devices/system/cpu/cpu0/cache/index<i> if it is a data/unified cache of `level`.
int64_t sysfs_cache(int level) {
  for (int i = 0; i < 8; ++i) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/";
    std::ifstream lv(dir + "level"), ty(dir + "type"), sz(dir + "size");
    int l = 0;
    std::string type, size;
    if (!(lv >> l) || !(ty >> type) || !(sz >> size)) continue;
    if (l != level || type == "Instruction") continue;
    const int64_t v = std::atoll(size.c_str());
    const char unit = size.back();
    return unit == 'K' ? v << 10 : unit == 'M' ? v << 20 : v;
  }
  return 0;
}

int64_t sysconf_cache(int level) {
#if defined(_SC_LEVEL1_DCACHE_SIZE)
  const int name = level == 1 ? _SC_LEVEL1_DCACHE_SIZE : level == 2 ? _SC_LEVEL2_CACHE_SIZE : _SC_LEVEL3_CACHE_SIZE;
  const long v = sysconf(name);
  return v > 0 ? v : 0;
#else
  return 0;
#endif
}

// sysfs first: under a hypervisor, sysconf's CPUID path can report the host's whole L3 (seen: 384 MiB).
int64_t cache_size(int level, int64_t fallback, int64_t cap) {
  int64_t v = sysfs_cache(level);
  if (v <= 0) v = sysconf_cache(level);
  if (v <= 0) v = fallback;
  return std::min(v, cap);
}

const CacheSizes& caches() {
  static const CacheSizes c{cache_size(1, 32 << 10, 256 << 10), cache_size(2, 256 << 10, 4 << 20),
                            cache_size(3, 4 << 20, 64 << 20)};
  return c;
}

int64_t round_down(int64_t v, int64_t multiple) { return std::max(multiple, v / multiple * multiple); }

Blocking compute_blocking(int mr, int nr, int elem_size) {
  const CacheSizes& c = caches();
  Blocking b;
  // Deep kc amortises the C-tile update (MR×NR loads and stores per kc rank-1 updates) and the packing
  // calls. One MR×kc A panel takes half of L1; the kc×NR B panel shared by all A panels of the block may
  // spill to L2, whose bandwidth covers it easily (measured on Zen 5: kc 512 beats 192 by ~5-10%).
  b.kc = std::clamp<int64_t>(round_down(c.l1 / 2 / (mr * elem_size), 8), 64, 512);
  // Half of L2 for the A block, so B panels and C lines do not evict it.
  b.mc = round_down(c.l2 / 2 / (b.kc * elem_size), mr);
  // A quarter of the shared L3 for one thread's B block; beyond 4096 columns nothing is gained.
  b.nc = std::min<int64_t>(round_down(c.l3 / 4 / (b.kc * elem_size), nr), round_down(4096, nr));
  return b;
}

}  // namespace

// Every GEMM call asks (a 16³ product takes ~80 ns, and the divisions above took a tenth of it): each thread
// keeps the last answer.
Blocking choose_blocking(int mr, int nr, int elem_size) {
  thread_local struct {
    int mr = 0, nr = 0, elem_size = 0;
    Blocking b{};
  } last;
  if (last.mr != mr || last.nr != nr || last.elem_size != elem_size) {
    last = {mr, nr, elem_size, compute_blocking(mr, nr, elem_size)};
  }
  return last.b;
}

}  // namespace gemm
}  // namespace tg
