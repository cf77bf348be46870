// tg.save / tg.load: tensors and whole training states in safetensors files.
//
// A flat {name: Tensor} object (a model's stateDict()) is written as a plain safetensors file that
// PyTorch's safetensors.torch.load_file reads unchanged. Anything else (an optimizer's stateDict(),
// {model, optimizer, scheduler, epoch}) is flattened: each tensor is stored under its dotted path
// ("optimizer.state.0.expAvg") and the rest of the object (numbers, strings, booleans, arrays,
// nesting) goes to the "tensorgrad.tree" metadata entry as JSON, so tg.load rebuilds the same
// object. Non-finite numbers and -0 are encoded so hyper-parameters come back bit for bit.
import { Tensor } from "../tensor.js";
import { options } from "../options.js";
import { writeFileAtomic } from "./atomic-write.js";
import { encodeSafetensors, readTensors, withSafetensors } from "./safetensors.js";
import { refuseSurplus } from "../arity.js";

const TREE_KEY = "tensorgrad.tree";

export interface SaveOptions {
  /** Free-form string metadata stored in the header's `__metadata__` (what safetensors' `metadata=` takes). */
  metadata?: Record<string, string>;
}

type Tree = Tensor | number | string | boolean | null | Tree[] | { [k: string]: Tree };

const isFlat = (obj: object): obj is Record<string, Tensor> =>
  !Array.isArray(obj) && Object.values(obj).every((v) => v instanceof Tensor);

// Replaces tensors by {$tensor: path}, collecting them; encodes numbers JSON cannot hold.
function flatten(node: unknown, path: string, out: Map<string, Tensor>): unknown {
  if (node instanceof Tensor) {
    if (out.has(path)) throw new Error(`save: two tensors flatten to the same key "${path}"; rename one (keys are joined with ".")`);
    out.set(path, node);
    return { $tensor: path };
  }
  if (typeof node === "number") {
    if (Number.isFinite(node) && !Object.is(node, -0)) return node;
    return { $number: Object.is(node, -0) ? "-0" : String(node) };
  }
  if (node === null || typeof node === "string" || typeof node === "boolean") return node;
  const join = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (Array.isArray(node)) return node.map((v, i) => flatten(v, join(i), out));
  if (typeof node === "object" && (Object.getPrototypeOf(node) === Object.prototype || Object.getPrototypeOf(node) === null))
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, flatten(v, join(k), out)]));
  throw new TypeError(`save: cannot store ${path || "the value"} (${typeof node === "object" ? node.constructor?.name : typeof node}); ` +
    "save Tensors, numbers, strings, booleans, null, arrays and plain objects of these (call .stateDict() on modules and optimizers)");
}

function unflatten(node: unknown, tensors: Record<string, Tensor>, fail: (why: string) => never): Tree {
  if (Array.isArray(node)) return node.map((v) => unflatten(v, tensors, fail));
  if (node === null || typeof node !== "object") return node as Tree;
  const o = node as Record<string, unknown>;
  if (typeof o.$tensor === "string") return tensors[o.$tensor] ?? fail(`the ${TREE_KEY} metadata names a tensor "${o.$tensor}" that the file lacks`);
  if (typeof o.$number === "string") return o.$number === "-0" ? -0 : Number(o.$number);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unflatten(v, tensors, fail)]));
}

/**
 * Writes tensors to a safetensors file, atomically (mirrors `safetensors.torch.save_file(tensors,
 * path, metadata)`, and `torch.save` for nested training states).
 * `obj` is `{name: Tensor}` (e.g. `model.stateDict()`: a standard file PyTorch loads directly), or
 * any plain object/array holding tensors and JSON values (e.g. `{model: m.stateDict(), optimizer:
 * opt.stateDict(), epoch}`), which `tg.load` restores exactly. Tensors are written as float32 (F32),
 * float64 (F64) or int32 (I32), little-endian, each contiguous.
 * The file is replaced atomically: a crash mid-save leaves the previous file intact.
 * @throws TypeError for a value that cannot be stored or non-string metadata; Error for colliding
 *   keys or a metadata key reserved by tensorgrad; the file system's Error (the old file untouched).
 */
export function save(obj: object, path: string, opts: SaveOptions = {}): void {
  refuseSurplus(save, arguments.length, opts);
  const { metadata } = options("save", opts, ["metadata"]);
  if (obj === null || typeof obj !== "object") throw new TypeError("save: expected an object of tensors (e.g. model.stateDict())");
  if (typeof path !== "string" || path === "") throw new TypeError("save: path must be a non-empty string");
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== "object" || Object.values(metadata).some((v) => typeof v !== "string"))
      throw new TypeError("save: metadata must be an object of strings (safetensors stores only strings)");
    if (TREE_KEY in metadata) throw new Error(`save: the metadata key "${TREE_KEY}" is reserved`);
  }
  let meta = metadata;
  const tensors = new Map<string, Tensor>();
  if (isFlat(obj)) for (const [k, v] of Object.entries(obj)) tensors.set(k, v);
  else meta = { ...metadata, [TREE_KEY]: JSON.stringify(flatten(obj, "", tensors)) };
  writeFileAtomic(path, encodeSafetensors([...tensors], meta));
}

/**
 * Reads a safetensors file (mirrors `safetensors.torch.load_file(path)`, and `torch.load` for
 * what `tg.save` wrote from a nested object). Returns `{name: Tensor}` in file order, or the nested
 * object that was saved. All tensors are views of one buffer read from the file (no per-tensor
 * copy); F32/F64/I32 keep their dtype, I64 is read as int32.
 * @throws Error "load: <path>: <problem>" for a missing, truncated or malformed file (header length,
 *   non-UTF-8 or non-JSON header, bad dtype/shape/data_offsets, overlaps, gaps, trailing bytes).
 */
export function load(path: string): Record<string, Tensor> | Tree {
  refuseSurplus(load, arguments.length);
  return withSafetensors(path, "load", (fd, h) => {
    const fail = (why: string): never => {
      throw new Error(`load: ${path}: ${why}`);
    };
    const tensors = Object.fromEntries(readTensors(fd, h, fail));
    const tree = h.metadata[TREE_KEY];
    if (tree === undefined) return tensors;
    let parsed: unknown;
    try {
      parsed = JSON.parse(tree);
    } catch {
      fail(`the ${TREE_KEY} metadata is not valid JSON`);
    }
    return unflatten(parsed, tensors, fail);
  });
}

/**
 * The `__metadata__` strings of a safetensors file (what `safe_open(path).metadata()` gives),
 * reading only its header.
 * @throws Error as `load` does for a malformed file.
 */
export function loadMetadata(path: string): Record<string, string> {
  refuseSurplus(loadMetadata, arguments.length);
  return withSafetensors(path, "loadMetadata", (_fd, h) => {
    const { [TREE_KEY]: _tree, ...rest } = h.metadata;
    return rest;
  });
}
