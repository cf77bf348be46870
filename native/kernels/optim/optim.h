#pragma once
// Optimizer updates, one pass over a contiguous parameter, following PyTorch's update rules
// (torch.optim, single-tensor "foreach=False" path). Scalars are computed in double, element
// arithmetic in the parameter's type, as PyTorch does.
#include <cstdint>

namespace tg {

struct SgdArgs {
  double lr, momentum, dampening, weight_decay;
  bool nesterov, first_step, maximize;
};
// buf may be null when momentum == 0.
template <class T>
void sgd_step(int64_t n, T* p, const T* g, T* buf, const SgdArgs& a);

struct AdamArgs {
  double lr, beta1, beta2, eps, weight_decay;
  int64_t step;     // 1 on the first update
  bool decoupled;   // AdamW: decay the weights instead of adding to the gradient
  bool amsgrad, maximize;
};
// vmax may be null unless amsgrad.
template <class T>
void adam_step(int64_t n, T* p, const T* g, T* m, T* v, T* vmax, const AdamArgs& a);

struct RmspropArgs {
  double lr, alpha, eps, weight_decay, momentum;
  bool centered, maximize;
};
// buf may be null when momentum == 0, gavg null unless centered.
template <class T>
void rmsprop_step(int64_t n, T* p, const T* g, T* sq, T* buf, T* gavg, const RmspropArgs& a);

struct AdagradArgs {
  double lr, lr_decay, weight_decay, eps;
  int64_t step;
  bool maximize;
};
template <class T>
void adagrad_step(int64_t n, T* p, const T* g, T* sum, const AdagradArgs& a);

}  // namespace tg
