// TensorDataset: samples are the rows (first-dim slices) of one or more tensors.
import { Tensor } from "../tensor.js";
import { tensor } from "../ops/creation.js";
import { fmt } from "../shape.js";
import { checkLive } from "../ops/check.js";
import { Dataset, checkIndex } from "./dataset.js";

/**
 * Wraps tensors that share their first dimension N (mirrors `torch.utils.data.TensorDataset`):
 * sample i is `[t0[i], t1[i], …]` (views). A DataLoader over it gathers each batch with one
 * indexSelect per tensor instead of stacking samples.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  /** @throws Error when no tensor is given, one is 0-d, or their first dimensions differ. */
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new Error("TensorDataset: expected at least one tensor");
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} is not a Tensor`);
      checkLive(t, "TensorDataset", `tensor ${i}`);
      if (t.ndim === 0) throw new Error(`TensorDataset: tensor ${i} is 0-d; every tensor needs a first (sample) dimension`);
    });
    if (tensors.some((t) => t.shape[0] !== tensors[0].shape[0]))
      throw new Error(`TensorDataset: size mismatch between tensors: first dimensions ${tensors.map((t) => fmt(t.shape)).join(", ")}`);
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): Tensor[] {
    const i = checkIndex(index, this.length, "TensorDataset.get");
    return this.tensors.map((t) => t.select(0, i));
  }

  /** `[t0[indices], t1[indices], …]`, each of shape [indices.length, ...]. */
  getBatch(indices: Int32Array): Tensor[] {
    for (const i of indices) checkIndex(i, this.length, "TensorDataset.getBatch");
    const idx = tensor(indices, { dtype: "int32" });
    return this.tensors.map((t) => t.indexSelect(0, idx));
  }
}
