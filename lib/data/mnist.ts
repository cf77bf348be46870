// MNIST and FashionMNIST: the 28×28 grey-scale sets in IDX files, as torchvision.datasets reads them.
// Nothing is downloaded: point `root` at the files (Debian's dataset-fashion-mnist package puts
// Fashion-MNIST in /usr/share/datasets/fashion-mnist).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Tensor } from "../tensor.js";
import { tensor } from "../ops/creation.js";
import { options } from "../options.js";
import { checkIndex, Dataset } from "./dataset.js";
import { readIdx } from "./idx.js";

export interface MNISTOptions {
  /** The 60,000-sample training set (default) or the 10,000-sample test set. */
  train?: boolean;
}

/**
 * Handwritten digits (mirrors `torchvision.datasets.MNIST(root, train)` followed by `ToTensor()`):
 * sample i is `[image, label]`, image float32 `[1, 28, 28]` in [0, 1], label an integer 0–9.
 * `data` holds all images `[N, 1, 28, 28]`, `targets` all labels int32 `[N]`.
 * Files are looked up in `root`, then `root/<Name>/raw` (torchvision's layout), each plain or `.gz`.
 * @throws Error listing the paths tried when a file is missing.
 */
export class MNIST extends Dataset<[Tensor, number]> {
  static readonly classes: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
  readonly data: Tensor;
  readonly targets: Tensor;
  readonly #labels: Int32Array;

  constructor(readonly root: string, opts: MNISTOptions = {}) {
    super();
    const { train = true } = options(new.target.name, opts, ["train"]);
    const prefix = train ? "train" : "t10k";
    const images = readIdx(this.#find(`${prefix}-images-idx3-ubyte`));
    const n = images.shape[0];
    const scaled = images.div(255);
    images.dispose();
    this.data = scaled.view(n, 1, images.shape[1], images.shape[2]);
    this.targets = readIdx(this.#find(`${prefix}-labels-idx1-ubyte`), { dtype: "int32" });
    if (this.targets.shape[0] !== n) throw new Error(`${new.target.name}: ${n} images but ${this.targets.shape[0]} labels in ${root}`);
    this.#labels = this.targets.storage as Int32Array;
  }

  /** The class names, index = label. */
  get classes(): readonly string[] {
    return (this.constructor as typeof MNIST).classes;
  }

  get length(): number {
    return this.data.shape[0];
  }

  get(index: number): [Tensor, number] {
    const i = checkIndex(index, this.length, `${this.constructor.name}.get`);
    return [this.data.select(0, i), this.#labels[i]];
  }

  /** `[images [B, 1, 28, 28], labels int32 [B]]` for these indices. */
  getBatch(indices: Int32Array): [Tensor, Tensor] {
    for (const i of indices) checkIndex(i, this.length, `${this.constructor.name}.getBatch`);
    const idx = tensor(indices, { dtype: "int32" });
    return [this.data.indexSelect(0, idx), this.targets.indexSelect(0, idx)];
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
