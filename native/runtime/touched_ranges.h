#pragma once
// The address ranges that earlier blocks covered, merged: a block that lies wholly inside them reuses
// memory whose pages were already faulted in. memory.cc uses it for blocks outside glibc's contiguous
// heap, where the heap's touched end says nothing: the main arena's mapped extensions once the break is
// blocked by another mapping (about 1 % of Node processes here), or another allocator's memory.
#include <cstdint>
#include <iterator>
#include <map>

namespace tg {

class TouchedRanges {
 public:
  // Whether [begin, end) lies inside one merged range.
  bool covers(uintptr_t begin, uintptr_t end) const {
    auto it = ranges_.upper_bound(begin);
    return it != ranges_.begin() && std::prev(it)->second >= end;
  }

  // Adds [begin, end), merging it with the ranges it overlaps or touches.
  void add(uintptr_t begin, uintptr_t end) {
    auto it = ranges_.upper_bound(begin);
    if (it != ranges_.begin() && std::prev(it)->second >= begin) {
      --it;
      begin = it->first;
    }
    while (it != ranges_.end() && it->first <= end) {
      if (it->second > end) end = it->second;
      it = ranges_.erase(it);
    }
    ranges_.emplace(begin, end);
  }

  // Forgets everything: the allocator gave the pages of its free blocks back to the OS.
  void clear() { ranges_.clear(); }

 private:
  std::map<uintptr_t, uintptr_t> ranges_;  // begin -> end, disjoint and not adjacent
};

}  // namespace tg
