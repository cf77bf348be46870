// LeNet-5 as a tensorgrad module, shared by the demo and the bench: conv 6@5×5 pad 2 → ReLU → maxpool 2 →
// conv 16@5×5 → ReLU → maxpool 2 → FC 120 → ReLU → FC 84 → ReLU → FC 10, for [N, 1, 28, 28] images.
export function lenet5(tg) {
  const { nn } = tg;
  class LeNet5 extends nn.Module {
    constructor() {
      super();
      this.conv1 = new nn.Conv2d(1, 6, 5, { padding: 2 });
      this.conv2 = new nn.Conv2d(6, 16, 5);
      this.pool = new nn.MaxPool2d(2);
      this.fc1 = new nn.Linear(16 * 5 * 5, 120);
      this.fc2 = new nn.Linear(120, 84);
      this.fc3 = new nn.Linear(84, 10);
    }

    forward(x) {
      x = this.pool.forward(this.conv1.forward(x).relu());
      x = this.pool.forward(this.conv2.forward(x).relu());
      x = x.flatten(1);
      return this.fc3.forward(this.fc2.forward(this.fc1.forward(x).relu()).relu());
    }
  }
  return new LeNet5();
}
