// LeNet-5 training step (conv 6@5×5 pad 2 → ReLU → maxpool 2 → conv 16@5×5 → ReLU → maxpool 2 → FC 120 → 84 → 10),
// batch 64 of 28×28 images, cross-entropy, plain SGD: in tensorgrad and in TF.js (tfjs-wasm cannot train it:
// its backend has no Conv2DBackpropFilter kernel, so the row reports the error).
import { lenet5 } from "../../examples/lenet5.js";

export const LENET = { batch: 64, lr: 0.01 };

export function tgLenet(tg, timeIt) {
  tg.manualSeed(0);
  const model = lenet5(tg);
  const x = tg.rand([LENET.batch, 1, 28, 28]), y = tg.randint(0, 10, [LENET.batch]);
  const opt = new tg.optim.SGD(model.parameters(), { lr: LENET.lr });
  const step = () => {
    opt.zeroGrad();
    tg.nn.functional.crossEntropy(model.forward(x), y).backward();
    opt.step();
  };
  return timeIt(step, { batchMs: 100, reps: 9 });
}

export function tfjsLenet(tf, timeIt) {
  const v = (shape, fanIn) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  const w1 = v([5, 5, 1, 6], 25), b1 = v([6], 25), w2 = v([5, 5, 6, 16], 150), b2 = v([16], 150);
  const f1 = v([400, 120], 400), c1 = v([120], 400), f2 = v([120, 84], 120), c2 = v([84], 120), f3 = v([84, 10], 84), c3 = v([10], 84);
  const vars = [w1, b1, w2, b2, f1, c1, f2, c2, f3, c3];
  const x = tf.randomUniform([LENET.batch, 28, 28, 1]);  // NHWC, TF.js's layout
  const target = tf.oneHot(tf.randomUniform([LENET.batch], 0, 10, "int32"), 10);
  const forward = () => {
    let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, w1, 1, "same"), b1)), 2, 2, "valid");
    h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w2, 1, "valid"), b2)), 2, 2, "valid");
    h = tf.reshape(h, [LENET.batch, 400]);
    h = tf.relu(tf.add(tf.matMul(h, f1), c1));
    h = tf.relu(tf.add(tf.matMul(h, f2), c2));
    return tf.losses.softmaxCrossEntropy(target, tf.add(tf.matMul(h, f3), c3));
  };
  const opt = tf.train.sgd(LENET.lr);
  const step = () => {
    const l = opt.minimize(forward, true, vars);
    l.dataSync();
    l.dispose();
  };
  try {
    return timeIt(step, { batchMs: 100, reps: 3, warmupCalls: 1, warmupMs: 0 });
  } finally {
    tf.dispose([...vars, x, target]);
    opt.dispose();
  }
}
