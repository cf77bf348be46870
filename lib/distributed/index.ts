// tg.distributed: process groups and collectives on Gloo (torch.distributed's names), and the
// DistributedSampler. The native addon loads on the first initProcessGroup(), never on import.
export { initProcessGroup, isInitialized, getRank, getWorldSize, destroyProcessGroup, type InitOptions } from "./process-group.js";
export { allReduce, broadcast, allGather, reduceScatter, barrier, type ReduceOp } from "./collectives.js";
export { DistributedSampler, type DistributedSamplerOptions } from "./sampler.js";
