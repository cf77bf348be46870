// tg.nn.parallel: data-parallel training across processes (torch.nn.parallel).
export { DistributedDataParallel, type DistributedDataParallelOptions } from "./distributed.js";
