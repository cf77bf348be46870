// Convolution throughput: one 3×3 conv layer at a realistic size (64→64 channels, 32×32, pad 1, batch 32),
// forward and forward+backward (input and weight gradients) in GFLOP/s. Bias and its gradient are included
// in the time but not counted as flops.
export const CONV = { batch: 32, channels: 64, size: 32, kernel: 3 };
// Multiply-adds of the forward pass × 2; backward is twice the forward (dX and dW).
export const CONV_FLOPS = 2 * CONV.batch * CONV.channels * CONV.channels * CONV.kernel ** 2 * CONV.size ** 2;

// Seconds per call: the forward alone, or forward+backward.
export function tgConv(tg, timeIt, backward) {
  tg.manualSeed(0);
  const { batch, channels, size, kernel } = CONV;
  const layer = new tg.nn.Conv2d(channels, channels, kernel, { padding: 1 });
  const x = tg.randn([batch, channels, size, size]);
  const xg = x.detach().requiresGrad_();
  const g = tg.randn([batch, channels, size, size]);
  const forward = () => tg.noGrad(() => layer.forward(x)).dispose();
  const forwardBackward = () => {
    layer.zeroGrad();
    xg.grad = null;
    const y = layer.forward(xg);
    y.backward(g);
    y.dispose();
  };
  return timeIt(backward ? forwardBackward : forward, { batchMs: 100 });
}
