// tg.optim.lrScheduler: learning-rate schedules that rewrite each param group's lr.
export { LRScheduler, type LrOptimizer, type SchedulerState } from "./scheduler.js";
export { StepLR, type StepLROptions } from "./step-lr.js";
export { CosineAnnealingLR, type CosineAnnealingLROptions } from "./cosine-annealing-lr.js";
