// A tensorgrad training step for an MLP, built from tg.nn + tg.optim when the library has them,
// else from raw tensor ops (the same math: x·Wᵀ + b, activation, loss, plain SGD update).
// Returns { step, style } where step() runs forward, backward and the update once.
import { native } from "../../dist/native.js";

const hasNn = (tg) => typeof tg.nn?.Linear === "function" && typeof tg.nn?.Sequential === "function" && typeof tg.optim?.SGD === "function";

export function buildTgTrainer(tg, { sizes, act, loss, batch, lr = 0.01 }) {
  tg.manualSeed(0);
  const x = tg.randn([batch, sizes[0]]);
  const target = loss === "crossEntropy" ? tg.randint(0, sizes.at(-1), [batch]) : tg.randn([batch, sizes.at(-1)]);
  return hasNn(tg) ? nnTrainer(tg, { sizes, act, loss, lr, x, target }) : rawTrainer(tg, { sizes, act, loss, lr, x, target });
}

function nnTrainer(tg, { sizes, act, loss, lr, x, target }) {
  const { nn, optim } = tg;
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; ++i) {
    layers.push(new nn.Linear(sizes[i], sizes[i + 1]));
    if (i + 2 < sizes.length) layers.push(act === "relu" ? new nn.ReLU() : new nn.Tanh());
  }
  const model = new nn.Sequential(...layers);
  const opt = new optim.SGD(model.parameters(), { lr });
  const lossFn = loss === "crossEntropy" ? nn.functional.crossEntropy : nn.functional.mseLoss;
  const step = () => {
    opt.zeroGrad();
    lossFn(model.forward(x), target).backward();
    opt.step();
  };
  return { step, style: "tg.nn + tg.optim.SGD" };
}

// PyTorch's default Linear init range, U(-1/sqrt(in), 1/sqrt(in)), for weight [out, in] and bias.
function uniformParam(tg, shape, fanIn) {
  const bound = 1 / Math.sqrt(fanIn);
  return tg.rand(shape).mul(2 * bound).sub(bound).requiresGrad_();
}

function rawTrainer(tg, { sizes, act, loss, lr, x, target }) {
  const params = [];
  for (let i = 0; i + 1 < sizes.length; ++i)
    params.push(uniformParam(tg, [sizes[i + 1], sizes[i]], sizes[i]), uniformParam(tg, [sizes[i + 1]], sizes[i]));
  const labels = loss === "crossEntropy" ? target.unsqueeze(1) : null;
  const forward = () => {
    let h = x;
    for (let i = 0; i < params.length; i += 2) {
      h = h.matmul(params[i].t()).add(params[i + 1]);
      if (i + 2 < params.length) h = act === "relu" ? h.relu() : h.tanh();
    }
    return h;
  };
  const lossOf = (out) => (labels ? out.logSoftmax(1).gather(1, labels).mean().neg() : out.sub(target).square().mean());
  const step = () => {
    for (const p of params) p.grad = null;
    lossOf(forward()).backward();
    // One native pass per parameter (the kernel tg.optim.SGD is built on); grads are fresh dense tensors.
    for (const p of params) {
      const g = p.grad.contiguous(true);
      native.sgdStep(p.storage, g.storage, null, lr, 0, 0, 0, false, true, false);
    }
  };
  return { step, style: "raw ops (tg.nn/tg.optim absent)" };
}
