// tg.autograd namespace.
export { grad } from "./grad.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./grad-mode.js";
export { gradCheck } from "./gradcheck.js";
