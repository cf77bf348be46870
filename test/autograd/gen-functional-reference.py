# Generates test/autograd/functional-reference.json with PyTorch 1.13 (/usr/bin/python3): jacobian and vjp
# of a two-input, two-output function. Run: /usr/bin/python3 test/autograd/gen-functional-reference.py > test/autograd/functional-reference.json
import torch, json
torch.manual_seed(0)
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], dtype=torch.float64)
w = torch.tensor([[0.3, -0.2, 0.1], [0.5, 0.4, -0.6]], dtype=torch.float64)
def f(a, b): return (a * b).tanh().sum(1) , a.exp() @ b.t()
J = torch.autograd.functional.jacobian(f, (x, w))
v = (torch.tensor([1.0, -2.0], dtype=torch.float64), torch.tensor([[0.5, 1.0], [-1.0, 2.0]], dtype=torch.float64))
out, vj = torch.autograd.functional.vjp(f, (x, w), v)
print(json.dumps({"x": x.tolist(), "w": w.tolist(), "J": [[t.tolist() for t in row] for row in J], "v": [t.tolist() for t in v], "vjp": [t.tolist() for t in vj]}))
