// In-place changes to storage, counted so backward can refuse to use a tensor that was modified
// after an op recorded it (PyTorch's version counter). Views share their storage object, so a
// change through any view counts for all of them.
import type { Storage } from "../native.js";

const versions = new WeakMap<Storage, number>();

export function versionOf(s: Storage): number {
  return versions.get(s) ?? 0;
}

export function bumpVersion(s: Storage): void {
  versions.set(s, versionOf(s) + 1);
}
