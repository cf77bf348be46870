#pragma once
// Padding (and cropping, for negative amounts) of the trailing k dims of a dense tensor viewed as
// [outer, in_1, …, in_k] → [outer, out_1, …, out_k], out_j = in_j + before_j + after_j.
// Each padded dim has a map from output position to source position, −1 meaning "the fill value":
//   constant:  o − before if inside the input, else −1
//   reflect:   mirrored about the edges without repeating them (needs pads < in)
//   replicate: clamped to the edge
#include <cstdint>
#include <vector>

namespace tg {

enum class PadMode : int { Constant = 0, Reflect = 1, Replicate = 2, count };

std::vector<int64_t> pad_map(PadMode mode, int64_t in, int64_t before, int64_t after);

struct PadDims {
  int64_t outer;
  std::vector<int64_t> in, out;             // the k padded dims
  std::vector<std::vector<int64_t>> maps;   // one per padded dim, out_j entries
};

// Threaded over output rows.
template <class T>
void pad(const PadDims& d, const T* x, T* y, T fill);
// gx = 0, then gx[source] += g for every output element with a source. Threaded over `outer`
// (reflect maps several outputs to one input, so rows of one outer index stay on one thread).
template <class T>
void pad_backward(const PadDims& d, const T* g, T* gx);

}  // namespace tg
