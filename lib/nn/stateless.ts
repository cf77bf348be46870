// The layers that keep no tensor they are given or make: tensorgrad's own layers without state beyond
// their parameters and buffers. Sequential may dispose an intermediate output once such a layer has
// consumed it (container.ts): nothing but the recorded graph can still reach it, and the graph keeps what
// its backward needs (dispose() waits for it), so the memory is the next step's activation at once
// instead of waiting for the garbage collector.
import type { Module } from "./module.js";
import { Linear } from "./linear.js";
import { ELU, GELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from "./activation.js";
import { Conv1d, Conv2d, ConvTranspose2d } from "./conv.js";
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, MaxPool2d } from "./pooling.js";
import { BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm, LocalResponseNorm } from "./normalization.js";
import { Dropout, Dropout2d } from "./dropout.js";
import { Flatten, Unflatten } from "./flatten.js";
import { Embedding } from "./embedding.js";

const KEEP_NOTHING = new Set<unknown>([
  Linear, ELU, GELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh, Conv1d, Conv2d, ConvTranspose2d,
  AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool2d, MaxPool2d, BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm,
  LocalResponseNorm, Dropout, Dropout2d, Flatten, Unflatten, Embedding,
]);

// Whether m is exactly one of those layers (a subclass may keep what it likes) running its class's own
// forward (a forward hook, or a forward assigned to the instance, may keep tensors).
export function keepsNoTensors(m: Module): boolean {
  return KEEP_NOTHING.has(Object.getPrototypeOf(m).constructor) && !Object.prototype.hasOwnProperty.call(m, "forward");
}
