#include "distributed/gloo_reduce_scatter.h"

#include <gloo/context.h>
#include <gloo/transport/unbound_buffer.h>
#include <gloo/types.h>

#include <cstring>

#include "distributed/elementwise.h"

namespace tg::dist {
namespace {

// The Gloo slot prefix of reduceScatter's messages (Gloo's own collectives use 0x01-0x08; agree() 0x40).
constexpr uint8_t kReduceScatterSlotPrefix = 0x41;

}  // namespace

GlooReduceScatter::GlooReduceScatter(std::shared_ptr<gloo::Context> ctx) : ctx_(std::move(ctx)) {}
GlooReduceScatter::~GlooReduceScatter() = default;

char* GlooReduceScatter::buffer(int i, size_t bytes) {
  if (bytes > buf_bytes_) {
    for (auto& b : buf_) b.reset(new char[bytes]);
    buf_bytes_ = bytes;
  }
  return buf_[i].get();
}

void GlooReduceScatter::run(const Job& job, std::chrono::milliseconds timeout) {
  switch (job.elem) {
    case Elem::F32: return run_typed<float>(job, timeout);
    case Elem::F64: return run_typed<double>(job, timeout);
    case Elem::I32: return run_typed<int32_t>(job, timeout);
  }
}

// Step s (0 .. p-2): send chunk (r - s - 1) mod p to the right, receive chunk (r - s - 2) mod p from
// the left and reduce it with this rank's input chunk. What is sent at step s + 1 is what step s
// reduced, and the last step's chunk is r itself: it is reduced straight into the output.
template <class T>
void GlooReduceScatter::run_typed(const Job& job, std::chrono::milliseconds timeout) {
  const int p = ctx_->size, r = ctx_->rank;
  const size_t m = job.out_count, bytes = m * sizeof(T);
  T* out = static_cast<T*>(job.out);
  const auto input = [&](int chunk) { return static_cast<const T*>(job.inputs[size_t((chunk % p + p) % p)]); };
  if (p == 1) {
    std::memmove(out, input(0), bytes);
  } else {
    T* acc[2] = {reinterpret_cast<T*>(buffer(0, bytes)), reinterpret_cast<T*>(buffer(1, bytes))};
    T* tmp = reinterpret_cast<T*>(buffer(2, bytes));
    const uint64_t slot = gloo::Slot::build(kReduceScatterSlotPrefix, job.tag);
    auto recv = ctx_->createUnboundBuffer(tmp, bytes);
    std::unique_ptr<gloo::transport::UnboundBuffer> send;
    const auto deadline = std::chrono::steady_clock::now() + timeout;  // for all steps together
    for (int s = 0; s + 1 < p; ++s) {
      // Step 0 sends the caller's input (read-only); later steps the previous step's accumulator.
      void* src = s == 0 ? const_cast<T*>(input(r - 1)) : acc[(s - 1) % 2];
      send = ctx_->createUnboundBuffer(src, bytes);
      recv->recv((r + p - 1) % p, slot);
      send->send((r + 1) % p, slot);
      recv->waitRecv(time_left(deadline));
      T* dst = s + 2 == p ? out : acc[s % 2];
      reduce_into<T>(job.op, dst, input(r - s - 2), tmp, m);
      send->waitSend(time_left(deadline));
    }
  }
  if (job.op == ReduceOp::Avg) divide(out, m, T(p));
}

}  // namespace tg::dist
