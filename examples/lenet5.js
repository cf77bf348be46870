// LeNet-5 as a tensorgrad module, shared by the demo and the bench: conv 6@5×5 pad 2 → ReLU → maxpool 2 →
// conv 16@5×5 → ReLU → maxpool 2 → FC 120 → ReLU → FC 84 → ReLU → FC 10, for [N, 1, 28, 28] images.
// Two Sequential stacks (torchvision's `features` / `classifier` layout), so each Conv2d or Linear followed by a
// ReLU runs as one fused native call (Module.fuseWith); parameters are created in layer order, as before.
export function lenet5(tg) {
  const { nn } = tg;
  class LeNet5 extends nn.Module {
    constructor() {
      super();
      this.features = new nn.Sequential(
        new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
      );
      this.classifier = new nn.Sequential(
        new nn.Linear(16 * 5 * 5, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
      );
    }

    forward(x) {
      return this.classifier.forward(this.features.forward(x).flatten(1));
    }
  }
  return new LeNet5();
}
