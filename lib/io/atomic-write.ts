// Atomic file replacement: the bytes go to a temporary file in the destination's folder (same file
// system, so rename is atomic), which is flushed to disk (fsync) and then renamed over the target;
// the folder is fsynced so the rename itself survives a power cut. A crash at any point leaves
// either the old file or the new one, never a torn mix. A crash can leave the temporary file
// (`.<name>.<pid>.<random>.tmp`) behind.
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { refuseSurplus } from "../arity.js";

/** Writes `chunks` (in order) to `path` atomically. @throws the file system's Error (the temporary file removed). */
export function writeFileAtomic(path: string, chunks: Uint8Array[]): void {
  refuseSurplus(writeFileAtomic, arguments.length);
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o644);
  try {
    for (const c of chunks) for (let done = 0; done < c.length; ) done += writeSync(fd, c, done, c.length - done);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  // Windows cannot open a folder as a file (and its rename is durable by itself).
  if (process.platform === "win32") return;
  const dfd = openSync(dir, "r");
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
