// The same MLP training step in TF.js: dense layers as variables, tf.train.sgd minimising the loss;
// reading the loss back (dataSync) forces the step to complete.
export function tfjsTrainer(tf, { sizes, act, loss, batch, lr }) {
  const vars = [];
  for (let i = 0; i + 1 < sizes.length; ++i) {
    const bound = 1 / Math.sqrt(sizes[i]);
    vars.push(tf.variable(tf.randomUniform([sizes[i], sizes[i + 1]], -bound, bound)), tf.variable(tf.randomUniform([sizes[i + 1]], -bound, bound)));
  }
  const x = tf.randomNormal([batch, sizes[0]]);
  const out = sizes.at(-1);
  const target = loss === "crossEntropy" ? tf.oneHot(tf.randomUniform([batch], 0, out, "int32"), out) : tf.randomNormal([batch, out]);
  const forward = () => {
    let h = x;
    for (let i = 0; i < vars.length; i += 2) {
      h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]);
      if (i + 2 < vars.length) h = act === "relu" ? tf.relu(h) : tf.tanh(h);
    }
    return h;
  };
  const lossFn = () => (loss === "crossEntropy" ? tf.losses.softmaxCrossEntropy(target, forward()) : tf.losses.meanSquaredError(target, forward()));
  const opt = tf.train.sgd(lr);
  const step = () => {
    const l = opt.minimize(lossFn, true, vars);
    l.dataSync();
    l.dispose();
  };
  const dispose = () => {
    tf.dispose([...vars, x, target]);
    opt.dispose();
  };
  return { step, dispose };
}
