// One calling rule across the API: tensors positional, required non-tensor arguments positional,
// PyTorch's defaulted arguments in one trailing options object. Unknown option keys throw with the
// camelCase suggestion; a positional argument of the wrong kind throws saying what was expected.
import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

const p = () => [tg.zeros([2], { requiresGrad: true })];
const F = tg.nn.functional;
const x = () => tg.zeros([2, 3]), t = () => tg.zeros([2, 3]), cls = () => tg.tensor([0, 1], { dtype: "int32" });
type Bad = never;

// [call, the error it must throw]
const REFUSED: [string, () => unknown, RegExp][] = [
  ["randn a string size", () => tg.randn(2, "3" as Bad), /randn: size 1 must be a number \(or pass one shape array\), got string "3"/],
  ["zeros sizes after a shape array", () => tg.zeros([2] as Bad, 3 as Bad), /zeros: after the shape array \[2\] only an options object may follow, got 1 more arguments/],
  ["ones without a shape", () => (tg.ones as (...a: unknown[]) => unknown)(), /ones: missing the shape: ones\(2, 3\) or ones\(\[2, 3\]\)/],
  ["MaxPool2d size as an option", () => new tg.nn.MaxPool2d({ kernel_size: 2 } as Bad),
    /MaxPool2d: kernelSize must be an integer or a pair \[h, w\], got an object \(kernelSize is a positional argument, not an option\)/],
  ["Conv2d without a kernel size", () => new tg.nn.Conv2d(1, 2, undefined as Bad), /Conv2d: kernelSize must be an integer or a pair \[h, w\], got undefined$/],
  ["StepLR stepSize as an option", () => new tg.optim.lrScheduler.StepLR(new tg.optim.SGD(p(), 0.1), { step_size: 2 } as Bad),
    /StepLR: invalid stepSize .*\(stepSize is a positional argument, not an option\)/],
  ["SGD given the model", () => new tg.optim.SGD(new tg.nn.Linear(2, 2) as Bad, 0.1), /params must be an array of Tensors .*; pass model\.parameters\(\)/],
  ["SGD weight_decay", () => new tg.optim.SGD(p(), { lr: 0.1, weight_decay: 0.5 } as Bad), /SGD: unknown option "weight_decay"; did you mean "weightDecay"\?/],
  ["SGD lr twice", () => new tg.optim.SGD(p(), 0.1, { lr: 0.2 } as Bad), /SGD: lr is given twice/],
  ["SGD no lr", () => new tg.optim.SGD(p(), {} as Bad), /SGD: .*required option lr/],
  ["SGD options after options", () => new tg.optim.SGD(p(), { lr: 0.1 }, {} as Bad), /SGD: expected new SGD\(params, lr, \{options\}\)/],
  ["SGD group key", () => new tg.optim.SGD([{ params: p(), weight_decay: 1 }], 0.1), /SGD parameter group: unknown option "weight_decay"; did you mean "weightDecay"/],
  ["Adam positional lr", () => new tg.optim.Adam(p(), 0.1 as Bad), /Adam: expected an options object \{lr, betas, eps, weightDecay, amsgrad, maximize\} as the last argument, got number 0.1/],
  ["AdamW weight_decay", () => new tg.optim.AdamW(p(), { weight_decay: 0.5 } as Bad), /AdamW: unknown option "weight_decay"; did you mean "weightDecay"/],
  ["RMSprop typo", () => new tg.optim.RMSprop(p(), { momentun: 0.9 } as Bad), /RMSprop: unknown option "momentun"; did you mean "momentum"/],
  ["Adagrad snake", () => new tg.optim.Adagrad(p(), { lr_decay: 0.1 } as Bad), /did you mean "lrDecay"/],
  ["Adam Keras names", () => new tg.optim.Adam(p(), { learningRate: 0.1 } as Bad), /Adam: unknown option "learningRate"; did you mean "lr"\?/],
  ["Adam Keras snake", () => new tg.optim.Adam(p(), { learning_rate: 0.1 } as Bad), /did you mean "lr"\?/],
  ["Adam Keras epsilon", () => new tg.optim.Adam(p(), { epsilon: 1e-8 } as Bad), /did you mean "eps"\?/],
  ["norm NumPy axis", () => tg.zeros([2, 2]).norm({ axis: 0 } as Bad), /norm: unknown option "axis"; did you mean "dim"\?/],
  ["Linear(2, 3, false)", () => new tg.nn.Linear(2, 3, false as Bad), /Linear: expected an options object \{bias, dtype\} as the last argument, got boolean false/],
  ["Linear bias string", () => new tg.nn.Linear(2, 3, { bias: "no" } as Bad), /Linear: bias must be true or false/],
  ["Linear in string", () => new tg.nn.Linear("2" as Bad, 3), /Linear: inFeatures must be a non-negative integer/],
  ["CrossEntropyLoss snake", () => new tg.nn.CrossEntropyLoss({ ignore_index: 0 } as Bad), /CrossEntropyLoss: unknown option "ignore_index"; did you mean "ignoreIndex"/],
  ["MSELoss positional", () => new tg.nn.MSELoss("sum" as Bad), /MSELoss: expected an options object \{reduction\}/],
  ["BCEWithLogitsLoss pos_weight", () => new tg.nn.BCEWithLogitsLoss({ pos_weight: tg.ones([1]) } as Bad), /did you mean "posWeight"/],
  ["HuberLoss", () => new tg.nn.HuberLoss({ delta: 1, reductio: "sum" } as Bad), /HuberLoss: unknown option "reductio"; did you mean "reduction"/],
  ["crossEntropy label_smoothing", () => F.crossEntropy(x(), cls(), { label_smoothing: 0.1 } as Bad), /crossEntropy: unknown option "label_smoothing"; did you mean "labelSmoothing"/],
  ["nllLoss reduction typo", () => F.nllLoss(x(), cls(), { reductoin: "sum" } as Bad), /nllLoss: unknown option "reductoin"; did you mean "reduction"/],
  ["smoothL1Loss", () => F.smoothL1Loss(x(), t(), { delta: 1 } as Bad), /smoothL1Loss: unknown option "delta"/],
  ["mseLoss positional", () => F.mseLoss(x(), t(), "sum" as Bad), /mseLoss: expected an options object \{reduction\}/],
  ["multiMarginLoss", () => F.multiMarginLoss(x(), cls(), { margins: 1 } as Bad), /did you mean "margin"/],
  ["zeros requires_grad", () => tg.zeros([2], { requires_grad: true } as Bad), /zeros: unknown option "requires_grad"; did you mean "requiresGrad"/],
  ["tensor dtype typo", () => tg.tensor([1], { dytpe: "int32" } as Bad), /tensor: unknown option "dytpe"; did you mean "dtype"/],
  ["randn positional dtype", () => tg.randn([2], "float64" as Bad), /randn: expected an options object/],
  ["arange options", () => tg.arange(0, 4, 1, { dtyp: "int32" } as Bad), /arange: unknown option "dytp"|arange: unknown option "dtyp"/],
  // PyTorch keywords tensorgrad lacks say so, instead of reading as a typo ("unknown option", then a list).
  ["zerosLike cuda", () => tg.zerosLike(x(), { device: "cuda" } as Bad), /^zerosLike: tensorgrad runs on the CPU only, there is no "cuda" device; leave device out, or pass "cpu"$/],
  ["Linear device object", () => new tg.nn.Linear(2, 2, { device: { type: "cpu" } } as Bad), /^Linear: device must be "cpu" \(tensorgrad runs on the CPU only\), got an object$/],
  ["crossEntropy device", () => F.crossEntropy(x(), cls(), { device: "cpu" } as Bad), /^crossEntropy: option "device" is not supported: tensorgrad computes on the CPU only; leave device out$/],
  ["backward createGraph", () => tg.ones([1], { requiresGrad: true }).sum().backward(null, { createGraph: true } as Bad), /^backward: option "createGraph" is not supported: tensorgrad has no higher-order gradients/],
  ["autograd.grad create_graph", () => tg.autograd.grad(tg.ones([1], { requiresGrad: true }).sum(), [tg.ones([1])], { create_graph: true } as Bad), /^autograd.grad: option "create_graph" is not supported/],
  ["crossEntropy weight", () => F.crossEntropy(x(), cls(), { weight: tg.ones([3]) } as Bad), /^crossEntropy: option "weight" is not supported: no per-class weights yet; pass \{reduction: "none"\}/],
  ["CrossEntropyLoss weight", () => new tg.nn.CrossEntropyLoss({ weight: tg.ones([3]) } as Bad), /^CrossEntropyLoss: option "weight" is not supported/],
  ["conv2d weight is only a loss's", () => F.conv2d(tg.ones([1, 1, 3, 3]), tg.ones([1, 1, 1, 1]), null, { weight: 1 } as Bad), /^conv2d: unknown option "weight"/],
  ["eye", () => tg.eye(2, 2, { requires_grad: true } as Bad), /eye: unknown option/],
  ["backward retain_graph", () => tg.ones([1], { requiresGrad: true }).sum().backward({ retain_graph: true } as Bad), /backward: unknown option "retain_graph"; did you mean "retainGraph"/],
  ["backward(2)", () => tg.ones([1], { requiresGrad: true }).sum().backward(2 as Bad), /backward: gradient must be a Tensor \(or null\), got number 2/],
  ["backward wrong shape", () => tg.ones([2], { requiresGrad: true }).mul(2).backward(tg.ones([3])), /backward: gradient of shape \[3\] does not match the tensor's shape \[2\]/],
  ["autograd.grad", () => tg.autograd.grad(tg.ones([1], { requiresGrad: true }).sum(), [tg.ones([1])], { allow_unused: true } as Bad), /autograd.grad: unknown option "allow_unused"; did you mean "allowUnused"/],
  ["gradCheck", () => tg.gradCheck((a) => a, [tg.ones([1])], { tol: 1 } as Bad), /gradCheck: unknown option "tol"/],
  ["loadStateDict", () => new tg.nn.Linear(1, 1).loadStateDict({}, { strct: false } as Bad), /loadStateDict: unknown option "strct"; did you mean "strict"/],
  ["kaimingUniform_", () => tg.nn.init.kaimingUniform_(tg.zeros([2, 2]), { mode: "fanIn", non_linearity: "relu" } as Bad), /kaimingUniform_: unknown option "non_linearity"; did you mean "nonlinearity"/],
  ["where null", () => tg.where(tg.ones([2]), tg.ones([2]), null as Bad), /where: other must be a Tensor or a number, got null/],
  ["where string", () => tg.where(tg.ones([2]), "a" as Bad, tg.ones([2])), /where: input must be a Tensor or a number, got string "a"/],
  ["where condition", () => tg.where(null as Bad, 1, 2), /where: condition must be a Tensor, got null/],
  ["clamp string", () => tg.ones([2]).clamp("a" as Bad), /clamp: min must be a number or null, got string "a"/],
  ["int clamp {}", () => tg.ones([2], { dtype: "int32" }).clamp(-1, {} as Bad), /clamp: max must be a number or null, got an object/],
  ["leakyRelu string", () => tg.ones([2]).leakyRelu("a" as Bad), /leakyRelu: negativeSlope must be a number, got string "a"/],
  ["elu string", () => F.elu(tg.ones([2]), "1" as Bad), /elu: alpha must be a number/],
  ["full string", () => tg.full([2], "a" as Bad), /full: the fill value must be a number, got string "a"/],
  ["fill_ string", () => tg.ones([2]).fill_("1" as Bad), /fill_: the fill value must be a number/],
  ["stack", () => tg.stack([tg.ones([2]), tg.ones([3])]), /stack: expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at entry 1/],
  ["LeakyReLU positional slope", () => new tg.nn.LeakyReLU(0.2 as Bad), /LeakyReLU: expected an options object \{negativeSlope\} as the last argument, got number 0.2 \(PyTorch's defaulted arguments are options here, by name: \{negativeSlope: 0.2\}\)/],
  ["LeakyReLU slope not a number", () => new tg.nn.LeakyReLU({ negativeSlope: "0.2" } as Bad), /LeakyReLU: negativeSlope must be a number/],
  ["init.uniform_ positional bounds", () => (tg.nn.init.uniform_ as (...a: unknown[]) => unknown)(tg.zeros([2]), -1, 1), /uniform_: expected an options object \{a, b\} .*by name: \{a: -1, b: …\}\)$/],
  ["Conv2d positional stride and padding", () => new (tg.nn.Conv2d as unknown as new (...a: unknown[]) => unknown)(1, 8, 3, 1, 1), /by name: \{stride: 1, padding: …, dilation: …, groups: …, …\}\)$/],
  ["ELU string", () => new tg.nn.ELU({ alpha: "1" } as Bad), /ELU: alpha must be a number/],
  ["Softmax without dim", () => new tg.nn.Softmax(undefined as Bad), /^Softmax: dim must be an integer \(PyTorch's implicit dim is deprecated\), got undefined$/],
  ["LogSoftmax fractional keyword dim", () => new tg.nn.LogSoftmax({ dim: 1.5 }), /^LogSoftmax: dim must be an integer \(PyTorch's implicit dim is deprecated\), got number 1\.5$/],
  ["Softmax keyword typo", () => new tg.nn.Softmax({ dm: 1 } as Bad), /^Softmax: unknown option "dm"; did you mean "dim"/],
  ["pow string", () => tg.ones([2]).pow("2" as Bad), /pow: the exponent must be a number or a Tensor, got string "2"/],
];

// Calls that work under the rule, and what they must produce.
const ACCEPTED: [string, () => void][] = [
  ["SGD(params, lr)", () => expect(new tg.optim.SGD(p(), 0.1).paramGroups[0].lr).toBe(0.1)],
  ["SGD(params, lr, {momentum})", () => expect(new tg.optim.SGD(p(), 0.1, { momentum: 0.9 }).paramGroups[0].momentum).toBe(0.9)],
  ["SGD(params, {lr, weightDecay})", () => expect(new tg.optim.SGD(p(), { lr: 0.1, weightDecay: 0.5 }).paramGroups[0].weightDecay).toBe(0.5)],
  ["SGD groups with their own lr", () => expect(new tg.optim.SGD([{ params: p(), lr: 0.3 }], { momentum: 0.1 } as Bad).paramGroups[0].lr).toBe(0.3)],
  ["AdamW({weightDecay})", () => expect(new tg.optim.AdamW(p(), { weightDecay: 0.5 }).paramGroups[0].weightDecay).toBe(0.5)],
  ["Adam()", () => expect(new tg.optim.Adam(p()).paramGroups[0].lr).toBe(1e-3)],
  ["Linear(2, 3, {bias: false})", () => expect(new tg.nn.Linear(2, 3, { bias: false }).bias).toBeNull()],
  ["CrossEntropyLoss({labelSmoothing})", () => expect(new tg.nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(x(), cls()).item()).toBeCloseTo(Math.log(3), 5)],
  ["backward(null)", () => { const a = tg.ones([1], { requiresGrad: true }); a.mul(2).sum().backward(null); expect(a.grad!.item()).toBe(2); }],
  ["backward(null, {retainGraph})", () => { const a = tg.ones([1], { requiresGrad: true }); const y = a.mul(3).sum(); y.backward(null, { retainGraph: true }); y.backward(); expect(a.grad!.item()).toBe(6); }],
  ["where(c, t, 0)", () => expect(Array.from(tg.where(tg.tensor([1, 0], { dtype: "int32" }), tg.ones([2]), 0).data())).toEqual([1, 0])],
  ["clamp(null, 1)", () => expect(tg.tensor([2]).clamp(null, 1).item()).toBe(1)],
];

describe("the options rule", () => {
  it.each(REFUSED)("%s throws saying what was expected", (_, call, message) => {
    expect(call).toThrow(message);
  });
  it.each(ACCEPTED)("%s works", (_, call) => call());
  it("SGD with {weightDecay} really decays (an option is never silently dropped)", () => {
    const w = tg.ones([1], { requiresGrad: true });
    const opt = new tg.optim.SGD([w], 0.1, { weightDecay: 0.5 });
    w.mul(0).sum().backward();
    opt.step();
    expect(w.item()).toBeCloseTo(1 - 0.1 * 0.5, 7);
  });
});

describe("string choices (a mode, a reduction)", () => {
  it("name the choices and the one a typo most likely meant", () => {
    expect(() => tg.nn.init.kaimingNormal_(tg.zeros([2, 2]), { mode: "fan_out" } as Bad)).toThrow('kaimingNormal_: mode must be "fanIn" or "fanOut", got "fan_out"; did you mean "fanOut"?');
    expect(() => F.mseLoss(x(), t(), { reduction: "sume" } as Bad)).toThrow('mseLoss: reduction must be "mean", "sum" or "none", got "sume"; did you mean "sum"?');
    expect(() => F.crossEntropy(x(), cls(), { reduction: 3 } as Bad)).toThrow('crossEntropy: reduction must be "mean", "sum" or "none", got 3');
    expect(() => F.pad(tg.zeros([1, 1, 2, 2]), [1, 1], { mode: "reflection" } as Bad)).toThrow('pad: mode must be "constant", "reflect" or "replicate", got "reflection"');
  });
  it("an inherited property name is not a choice, nor a known key", () => {
    // `mode in MODE` let "toString" through to the kernel.
    expect(() => F.pad(tg.zeros([1, 1, 2, 2]), [1, 1], { mode: "toString" } as Bad)).toThrow('pad: mode must be "constant", "reflect" or "replicate", got "toString"');
    expect(() => tg.zeros([2], { toString: 1 } as Bad)).toThrow(/^zeros: unknown option "toString"/);
  });
});
