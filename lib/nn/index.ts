// tg.nn: modules, layers, losses, tg.nn.functional and tg.nn.init.
export { Module, type StateDict, type LoadResult } from "./module.js";
export { Parameter } from "./parameter.js";
export { Linear, type LinearOptions } from "./linear.js";
export { ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Softmax, LogSoftmax, Identity } from "./activation.js";
export { Sequential } from "./container.js";
export { ModuleList } from "./module-list.js";
export { ModuleDict } from "./module-dict.js";
export { RemovableHandle, type ForwardHook, type ForwardPreHook } from "./hooks.js";
export * as utils from "./utils/index.js";
export {
  CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss, MultiMarginLoss,
} from "./loss.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
export * as parallel from "./parallel/index.js";
