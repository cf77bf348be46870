// reduceScatter as a ring over Gloo's TCP transport (its unbound buffers), the reduce-scatter
// half of Gloo's own ring all-reduce: worldSize - 1 steps, in each of which every rank sends one
// chunk to its right neighbour, receives one from its left and reduces it into its own copy of
// that chunk. Each rank sends (worldSize - 1) / worldSize of its input once, half an all-reduce.
//
// Not Gloo's ReduceScatterHalvingDoubling (gloo/reduce_scatter.h, libgloo-dev 2022): at its end a
// rank other than 0 copies its result over the start of the buffer it is still sending from (the
// TCP send reads the buffer after send() returns), so the peer can receive a half-overwritten
// chunk. We saw rank 0's last ~9,000 of 1,048,576 elements come out wrong in 1 of 5 runs.
//
// The inputs are read where they are (never copied, never written); two accumulators and a receive
// buffer of one chunk are kept between calls, so repeated calls neither allocate nor fault pages.
#pragma once

#include <cstddef>
#include <memory>

#include "distributed/process_group.h"

namespace tg::dist {

class GlooReduceScatter {
 public:
  explicit GlooReduceScatter(std::shared_ptr<gloo::Context> ctx);
  ~GlooReduceScatter();
  // Reduces job.inputs across the ranks into job.out (this rank's chunk). Every rank calls it with
  // the same element type, op and out_count (agree() has checked that); job.tag keeps its messages
  // apart from every other collective's.
  void run(const Job& job, std::chrono::milliseconds timeout);

 private:
  template <class T>
  void run_typed(const Job& job, std::chrono::milliseconds timeout);
  char* buffer(int i, size_t bytes);

  std::shared_ptr<gloo::Context> ctx_;
  std::unique_ptr<char[]> buf_[3];  // two accumulators (one is sent while the other fills) and the receive buffer
  size_t buf_bytes_ = 0;
};

}  // namespace tg::dist
