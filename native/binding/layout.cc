#include "binding/layout.h"

#include <string>

namespace tg {
namespace {

int64_t checked_int(double d, const char* op, const char* what) {
  if (!(d >= 0 && d <= kMaxSafeInteger) || d != static_cast<double>(static_cast<int64_t>(d)))
    range_error(std::string(op) + ": invalid " + what + " " + std::to_string(d));
  return static_cast<int64_t>(d);
}

}  // namespace

int64_t mul_add(int64_t x, int64_t y, int64_t z) {
  if (z < 0 || (y != 0 && x > (INT64_MAX - z) / y)) return -1;
  return x * y + z;
}

int64_t dense_numel(const Args& a, std::initializer_list<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) n = n < 0 ? -1 : mul_add(n, d, 0);
  if (n < 0) range_error(std::string(a.op()) + ": sizes are too large (their product overflows)");
  return n;
}

int64_t last_element(const Shape& s, const Layout& l) {
  int64_t last = l.off;
  for (int i = 0; i < s.nd && last >= 0; ++i) last = mul_add(s.dim[i] - 1, l.stride[i], last);
  return last;
}

void need_len(const Args& a, const Array& x, int64_t n, const char* what) {
  if (static_cast<int64_t>(x.len) < n)
    range_error(std::string(a.op()) + ": " + what + " has " + std::to_string(x.len) + " elements, needs " + std::to_string(n));
}

Shape Strides::shape() const {
  const double* P = a_->instance().params;
  Shape s;
  s.nd = static_cast<int>(checked_int(P[0], a_->op(), "ndim"));
  if (s.nd > kMaxDims) range_error(std::string(a_->op()) + ": at most 8 dims are supported, got " + std::to_string(s.nd));
  int64_t n = 1;
  for (int i = 0; i < s.nd; ++i) {
    s.dim[i] = checked_int(P[1 + i], a_->op(), "dim size");
    n = n < 0 ? -1 : mul_add(n, s.dim[i], 0);
  }
  if (n < 0) range_error(std::string(a_->op()) + ": shape has too many elements (its product overflows)");
  return s;
}

Layout Strides::operand(int k, const Shape& s, const Array& arr) const {
  const double* P = a_->instance().params + 9 + 9 * k;
  Layout l;
  l.off = checked_int(P[0], a_->op(), "offset");
  for (int i = 0; i < s.nd; ++i) l.stride[i] = checked_int(P[1 + i], a_->op(), "stride");
  if (s.numel() == 0) return l;
  const int64_t last = last_element(s, l);
  if (last < 0)
    range_error(std::string(a_->op()) + ": operand " + std::to_string(k) + " has a layout whose extent overflows");
  if (last >= static_cast<int64_t>(arr.len))
    range_error(std::string(a_->op()) + ": operand " + std::to_string(k) + " reaches element " + std::to_string(last) +
                " of an array of length " + std::to_string(arr.len) + " (was the tensor disposed?)");
  return l;
}

}  // namespace tg
