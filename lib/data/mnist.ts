// MNIST and FashionMNIST: the 28×28 grey-scale sets in IDX files, as torchvision.datasets reads them.
// Nothing is downloaded: point `root` at the files (Debian's dataset-fashion-mnist package puts
// Fashion-MNIST in /usr/share/datasets/fashion-mnist).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Tensor } from "../tensor.js";
import { tensor } from "../ops/creation.js";
import { options } from "../options.js";
import { checkIndex, Dataset } from "./dataset.js";
import { parseIdx, readIdx } from "./idx.js";
import { refuseSurplus } from "../arity.js";

export interface MNISTOptions {
  /** The 60,000-sample training set (default) or the 10,000-sample test set. */
  train?: boolean;
}

/**
 * Handwritten digits (mirrors `torchvision.datasets.MNIST(root, train)` followed by `ToTensor()`):
 * sample i is `[image, label]`, image float32 `[1, 28, 28]` in [0, 1], label an integer 0–9.
 * The pixels stay as the file's bytes (a view, 47 MB for 60,000 images) and become float32 per
 * batch, so loading costs one read and inflate; `data` builds all images `[N, 1, 28, 28]` float32
 * on first use. `targets` holds all labels, int32 `[N]`.
 * Files are looked up in `root`, then `root/<Name>/raw` (torchvision's layout), each plain or `.gz`.
 * @throws Error listing the paths tried when a file is missing; Error for malformed files.
 */
export class MNIST extends Dataset<[Tensor, number]> {
  static readonly classes: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
  readonly targets: Tensor;
  readonly #pixels: Uint8Array;
  readonly #imageShape: number[];
  readonly #labels: Int32Array;
  #data: Tensor | undefined;

  constructor(readonly root: string, opts: MNISTOptions = {}) {
    refuseSurplus(MNIST, arguments.length, opts);
    super();
    const name = new.target.name;
    const { train = true } = options(name, opts, ["train"]);
    const prefix = train ? "train" : "t10k";
    const images = parseIdx(this.#find(`${prefix}-images-idx3-ubyte`));
    if (images.shape.length !== 3 || !(images.values instanceof Uint8Array))
      throw new Error(`${name}: the images file in ${root} must hold uint8 [N, H, W], got dims [${images.shape.join(", ")}]`);
    this.#pixels = images.values;
    this.#imageShape = [1, images.shape[1], images.shape[2]];
    this.targets = readIdx(this.#find(`${prefix}-labels-idx1-ubyte`), { dtype: "int32" });
    if (this.targets.shape[0] !== images.shape[0]) throw new Error(`${name}: ${images.shape[0]} images but ${this.targets.shape[0]} labels in ${root}`);
    this.#labels = this.targets.data() as Int32Array;
  }

  /** The class names, index = label. */
  get classes(): readonly string[] {
    return (this.constructor as typeof MNIST).classes;
  }

  get length(): number {
    return this.targets.shape[0];
  }

  /** All images, float32 `[N, 1, 28, 28]` in [0, 1] (built on first use: 188 MB for the training set). */
  get data(): Tensor {
    return (this.#data ??= this.#images(Int32Array.from({ length: this.length }, (_, i) => i)));
  }

  get(index: number): [Tensor, number] {
    const i = checkIndex(index, this.length, `${this.constructor.name}.get`);
    return [this.#images(Int32Array.of(i)).view(this.#imageShape), this.#labels[i]];
  }

  /** `[images float32 [B, 1, 28, 28], labels int32 [B]]` for these indices. */
  getBatch(indices: Int32Array): [Tensor, Tensor] {
    for (const i of indices) checkIndex(i, this.length, `${this.constructor.name}.getBatch`);
    return [this.#images(indices), this.targets.indexSelect(0, tensor(indices, { dtype: "int32" }))];
  }

  // Images at these (checked) indices as float32 [B, 1, H, W] in [0, 1]: one native uint8 → float32
  // conversion per image, then one scaling op.
  #images(indices: Int32Array): Tensor {
    const size = this.#imageShape[1] * this.#imageShape[2];
    const raw = Tensor.output([indices.length, ...this.#imageShape]);
    indices.forEach((i, b) => raw.storage.set(this.#pixels.subarray(i * size, (i + 1) * size), b * size));
    const out = raw.div(255);
    raw.dispose();
    return out;
  }

  #find(base: string): string {
    const name = this.constructor.name;
    const tried = [this.root, join(this.root, name, "raw")].flatMap((d) => [join(d, base), join(d, `${base}.gz`)]);
    const found = tried.find((p) => existsSync(p));
    if (!found)
      throw new Error(`${name}: ${base} not found; tried ${tried.join(", ")}. ` +
        (name === "FashionMNIST" ? "On Debian/Ubuntu: apt-get install dataset-fashion-mnist, then use root /usr/share/datasets/fashion-mnist." : "Download the IDX files into root first."));
    return found;
  }
}

/**
 * Zalando's Fashion-MNIST: 28×28 images of 10 kinds of clothing, same layout and API as MNIST
 * (mirrors `torchvision.datasets.FashionMNIST`).
 */
export class FashionMNIST extends MNIST {
  static override readonly classes: readonly string[] = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
  ];
}
