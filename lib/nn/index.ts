// tg.nn: modules, layers, losses, tg.nn.functional and tg.nn.init.
export { Module, type StateDict, type LoadResult } from "./module.js";
export { Parameter } from "./parameter.js";
export { Linear, type LinearOptions } from "./linear.js";
export { ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Softmax, LogSoftmax, Identity } from "./activation.js";
export { Sequential } from "./container.js";
export { Conv1d, Conv2d, ConvTranspose2d, type Conv1dModuleOptions, type Conv2dModuleOptions, type ConvTranspose2dModuleOptions } from "./conv.js";
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d } from "./pooling.js";
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, LocalResponseNorm } from "./normalization.js";
export type { BatchNormModuleOptions, LayerNormModuleOptions, GroupNormModuleOptions } from "./normalization.js";
export { Dropout, Dropout2d } from "./dropout.js";
export { Flatten, Unflatten } from "./flatten.js";
export { Embedding, type EmbeddingModuleOptions } from "./embedding.js";
export { ModuleList } from "./module-list.js";
export { ModuleDict } from "./module-dict.js";
export { RemovableHandle, type ForwardHook, type ForwardPreHook } from "./hooks.js";
export * as utils from "./utils/index.js";
export {
  CrossEntropyLoss, NLLLoss, MSELoss, L1Loss, HuberLoss, SmoothL1Loss, BCELoss, BCEWithLogitsLoss, MultiMarginLoss,
  CosineEmbeddingLoss, MarginRankingLoss, HingeEmbeddingLoss,
} from "./loss.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
export * as parallel from "./parallel/index.js";
