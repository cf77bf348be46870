// Values and gradients compared with PyTorch. The constants were computed with PyTorch 1.13
// (Debian python3-torch) in float64 from the same inputs:
//   x = torch.tensor([[0.3,-1.2,2.5],[-0.7,0.05,1.9]], dtype=torch.float64, requires_grad=True)
//   w = torch.tensor([[0.5,-0.25],[1.5,0.75],[-1.0,2.0]], dtype=torch.float64, requires_grad=True)
//   out = (F.gelu(x @ w).softmax(1) * torch.tensor([[1.,2.],[3.,4.]])).sum()
//         + F.elu(x).pow(2).mean() + torch.sigmoid(x).max()
//   out.backward()
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";
import { expectClose, f64 } from "./util.js";

describe("agreement with PyTorch 1.13", () => {
  it("a composite of matmul, gelu, softmax, elu, pow, mean, sigmoid, max: value and gradients", () => {
    const x = f64([[0.3, -1.2, 2.5], [-0.7, 0.05, 1.9]], true);
    const w = f64([[0.5, -0.25], [1.5, 0.75], [-1.0, 2.0]], true);
    const out = x.matmul(w).gelu().softmax(1).mul(f64([[1, 2], [3, 4]])).sum()
      .add(x.elu().pow(2).mean()).add(x.sigmoid().max());
    out.backward();
    expect(out.item()).toBeCloseTo(8.671751971474134, 12);
    expectClose(x.grad!, [[0.09568980690608439, -0.057213442797385716, 0.9379333254248968],
      [-0.08699710482393684, 0.031054030690162854, 0.6660589883935086]], 1e-10);
    expectClose(w.grad!, [[-0.0007882177808342983, -0.006673646829510187],
      [5.051417197254603e-05, -0.019854366865382642], [0.002155722283551734, 0.07528757788201179]], 1e-10);
  });
  it("logSoftmax and leakyRelu", () => {
    // torch.log_softmax(z, 1); F.leaky_relu(z, 0.1) for z = [[1,-2,3],[0.5,4,-6]] (float64)
    const z = f64([[1, -2, 3], [0.5, 4, -6]]);
    expectClose(z.logSoftmax(1), [[-2.1328452337275756, -5.132845233727576, -0.13284523372757556],
      [-3.529794486458149, -0.0297944864581491, -10.02979448645815]], 1e-12);
    expectClose(z.leakyRelu(0.1), [[1, -0.2, 3], [0.5, 4, -0.6000000000000001]], 1e-12);
  });
  it("the same composite in float32 agrees to float32 precision", () => {
    const x = tg.tensor([[0.3, -1.2, 2.5], [-0.7, 0.05, 1.9]], { requiresGrad: true });
    const w = tg.tensor([[0.5, -0.25], [1.5, 0.75], [-1.0, 2.0]], { requiresGrad: true });
    const out = x.matmul(w).gelu().softmax(1).mul(tg.tensor([[1, 2], [3, 4]])).sum()
      .add(x.elu().pow(2).mean()).add(x.sigmoid().max());
    out.backward();
    expect(out.item()).toBeCloseTo(8.671751971474134, 5);
    expectClose(x.grad!, [[0.09568980690608439, -0.057213442797385716, 0.9379333254248968],
      [-0.08699710482393684, 0.031054030690162854, 0.6660589883935086]], 1e-5);
  });
});
