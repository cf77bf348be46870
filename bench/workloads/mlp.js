// Training throughput: MLP 784-512-256-10, batch 128, ReLU, cross-entropy, one SGD step.
import { buildTgTrainer } from "./tg-trainer.js";
import { tfjsTrainer } from "./tfjs-trainer.js";

export const MLP = { sizes: [784, 512, 256, 10], act: "relu", loss: "crossEntropy", batch: 128, lr: 0.01 };
// GEMM flops of a step: forward and weight gradient for every layer, input gradient for all but the first
// (the batch needs none): ≈ 308 MFLOP.
const LAYER_MACS = [784 * 512, 512 * 256, 256 * 10];
export const MLP_FLOPS = 2 * MLP.batch * (3 * LAYER_MACS.reduce((a, b) => a + b) - LAYER_MACS[0]);

export function tgMlp(tg, timeIt) {
  return timeIt(buildTgTrainer(tg, MLP).step, { batchMs: 100, reps: 9 });
}

export function tfjsMlp(tf, timeIt) {
  const { step, dispose } = tfjsTrainer(tf, MLP);
  const sec = timeIt(step, { batchMs: 100, reps: 5, warmupCalls: 1, warmupMs: 0 });
  dispose();
  return sec;
}
