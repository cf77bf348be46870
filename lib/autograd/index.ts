// tg.autograd namespace.
export { grad } from "./grad.js";
export { backward } from "./tensor-autograd.js";
export { Function, FunctionCtx } from "./function.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./grad-mode.js";
export { gradCheck } from "./gradcheck.js";
export type { RemovableHandle, GradHook } from "./node.js";
export * as functional from "./functional.js";
