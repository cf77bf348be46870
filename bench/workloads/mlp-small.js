// Small-model overhead: 2-16-16-1 tanh MLP, batch 32, MSE loss, one SGD step.
import { buildTgTrainer } from "./tg-trainer.js";
import { tfjsTrainer } from "./tfjs-trainer.js";

export const SMALL_MLP = { sizes: [2, 16, 16, 1], act: "tanh", loss: "mse", batch: 32, lr: 0.01 };

export function tgSmallMlp(tg, timeIt) {
  return timeIt(buildTgTrainer(tg, SMALL_MLP).step, { batchMs: 100, reps: 9 });
}

export function tfjsSmallMlp(tf, timeIt) {
  const { step, dispose } = tfjsTrainer(tf, SMALL_MLP);
  const sec = timeIt(step, { batchMs: 100, reps: 7 });
  dispose();
  return sec;
}
