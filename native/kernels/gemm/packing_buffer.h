// Packing buffers: per-thread, 64-byte-aligned scratch arrays that GEMM drivers (plain GEMM, the
// convolution drivers) grow on demand and reuse across calls, so packing never page-faults in steady state.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <new>

namespace tg {
namespace gemm {

// A 64-byte-aligned array owned by the calling thread, grown on demand and reused across calls; Slot tells
// apart the buffers one call needs at once.
template <typename T, int Slot>
T* packing_buffer(int64_t count) {
  struct Buffer {
    T* data = nullptr;
    int64_t cap = 0;
    ~Buffer() { std::free(data); }
  };
  thread_local Buffer buf;
  if (count > buf.cap) {
    std::free(buf.data);
    buf.data = nullptr;
    buf.cap = 0;
    const size_t bytes = (static_cast<size_t>(count) * sizeof(T) + 63) / 64 * 64;
    buf.data = static_cast<T*>(std::aligned_alloc(64, bytes));
    if (buf.data == nullptr) throw std::bad_alloc();
    buf.cap = count;
  }
  return buf.data;
}

}  // namespace gemm
}  // namespace tg
