// tg.optim: optimizers with PyTorch's update rules (native updates) and learning-rate schedulers.
export { Optimizer, type ParamGroup, type ParamGroupInput, type ParamsInput, type ParamState, type StateValue, type OptimizerStateDict } from "./optimizer.js";
export type { ZeroGradOptions } from "../autograd/zero-grad.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adam, AdamW, type AdamOptions } from "./adam.js";
export { RMSprop, type RMSpropOptions } from "./rmsprop.js";
export { Adagrad, type AdagradOptions } from "./adagrad.js";
export * as lrScheduler from "./lr-scheduler/index.js";
