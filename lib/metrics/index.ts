// tg.metrics: evaluation measures computed from model outputs (not differentiable).
export { accuracy, type AccuracyOptions } from "./accuracy.js";
