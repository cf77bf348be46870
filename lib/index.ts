// tensorgrad's public surface: re-exports only. The ops exported here are exactly the ops defined
// (lib/ops/define.ts) without `method: "only"`; test/ops/registry.test.ts checks the two agree.
export { Tensor } from "./tensor.js";
export type { DType } from "./dtype.js";
export type {} from "./ops/methods.js";
export * from "./ops/creation.js";
export { add, sub, mul, div, neg, exp, log, sqrt, abs, sign, sigmoid, tanh, relu, leakyRelu, elu, gelu, pow, square, clamp,
  maximum, minimum, eq, ne, gt, ge, lt, le, where } from "./ops/elementwise.js";
export { log1p, expm1, reciprocal, rsqrt, sin, cos, floor, ceil, round, isnan, isinf, isfinite, allclose, equal } from "./ops/elementwise.js";
export { sum, mean, max, min, argmax, argmin } from "./ops/reduce.js";
export { reshape, view, transpose, permute, squeeze, unsqueeze, expand, flatten, narrow, slice, select, cat, stack } from "./ops/views.js";
export { indexSelect, gather } from "./ops/indexing.js";
export { matmul, type MatmulOptions } from "./ops/linalg.js";
export { clone } from "./ops/copy.js";
export { softmax, logSoftmax } from "./ops/softmax.js";
export { var, std, type VarOptions } from "./ops/moments.js";
export { norm, type NormOptions, type NormOrder } from "./ops/norm.js";
export { logsumexp } from "./ops/logsumexp.js";
export { sort, argsort, topk, type SortOptions, type TopkOptions } from "./ops/sort.js";
export type { ValuesIndices } from "./ops/values-indices.js";
export type { ExtremeFn, ExtremeMethod } from "./ops/reduce.js";
export { cumsum } from "./ops/cumsum.js";
export { bmm, outer, mm } from "./ops/linalg.js";
export { chunk, split, type DimOptions } from "./ops/split.js";
export { any, all } from "./ops/logical.js";
export { repeat } from "./ops/repeat.js";
export { maskedFill } from "./ops/masking.js";
import "./ops/inplace.js";  // add_, sub_, mul_, div_, clamp_: Tensor methods only
import "./ops/random-fill.js";  // uniform_, normal_: Tensor methods only
export { nonzero, type NonzeroOptions } from "./ops/nonzero.js";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./autograd/grad-mode.js";
export { gradCheck } from "./autograd/gradcheck.js";
export { setPrintOptions, getPrintOptions, type PrintOptions } from "./format.js";
export * as autograd from "./autograd/index.js";
export { setNumThreads, getNumThreads, cpuIsa, setCpuIsa } from "./runtime.js";
export { memoryStats, emptyCache, type MemoryStats } from "./memory.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as metrics from "./metrics/index.js";
export { summary, type SummaryOptions, type ModelSummary, type SummaryRow } from "./utils/summary.js";
export * as viz from "./viz/index.js";
export * as utils from "./utils/index.js";
export { Generator, type GeneratorState } from "./generator.js";
export * as data from "./data/index.js";
export { save, load, loadMetadata } from "./io/index.js";
export * as io from "./io/index.js";
export { fromTransferable, type TransferableTensor } from "./transfer.js";
export * as worker from "./worker/index.js";
export * as distributed from "./distributed/index.js";
// Last: every member attached above refuses a disposed tensor, naming itself (lib/disposed-guard.ts);
// the classes' methods refuse surplus arguments (lib/class-arity-guard.ts); then snake_case twins of
// them (lib/snake-case-hints.ts).
import "./disposed-guard.js";
import "./class-arity-guard.js";
import "./snake-case-hints.js";
