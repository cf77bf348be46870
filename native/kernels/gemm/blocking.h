#pragma once
// Cache-derived block sizes for the Goto/BLIS loops around a micro-kernel.
#include <cstdint>

namespace tg {
namespace gemm {

struct Blocking {
  int64_t mc;  // rows of the packed A block, sized to stay in L2
  int64_t kc;  // depth of a block: one MR×kc panel of A fits in half of L1
  int64_t nc;  // columns of the packed B block, sized to a thread's share of L3
};

Blocking choose_blocking(int mr, int nr, int elem_size);

}  // namespace gemm
}  // namespace tg
