// tg.nn.utils: helpers around the training loop (torch.nn.utils).
export { clipGradNorm_, clipGradValue_, type ClipGradNormOptions } from "./clip-grad.js";
