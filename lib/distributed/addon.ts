// Loads tensorgrad_dist.node, the distributed addon, on first use of tg.distributed: the core
// addon never depends on it, so `import "tensorgrad"` works where Gloo is missing. A local source
// build (build/Release/dist/) wins over the prebuild (prebuilds/<platform>-<arch>/tensorgrad_dist/,
// which carries libgloo.so.0 and its libraries beside it), unless PREBUILDS_ONLY is set;
// TENSORGRAD_DIST_ADDON names another build.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";

export interface GroupConfig {
  rank: number;
  size: number;
  timeoutMs: number;
  fileStore: boolean;
  host: string;
  port: number;
  path: string;
  iface: string;
  mpi: boolean;
}

/** One Gloo process group on its communication thread (native/distributed/binding_dist.cc). */
export interface NativeGroup {
  connect(): Promise<void>;
  allReduce(data: ArrayBufferView, op: number): Promise<void>;
  broadcast(data: ArrayBufferView, root: number): Promise<void>;
  allGather(out: ArrayBufferView, input: ArrayBufferView): Promise<void>;
  reduceScatter(out: ArrayBufferView, inputs: ArrayBufferView[], op: number): Promise<void>;
  barrier(): Promise<void>;
  close(): Promise<void>;
}

interface DistAddon {
  Group: new (cfg: GroupConfig) => NativeGroup;
  /** Whether this build has the MPI backend (TENSORGRAD_WITH_MPI=1 at build time). */
  withMpi: boolean;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
let addon: DistAddon | undefined;

function candidates(): string[] {
  // A build elsewhere, e.g. one with the MPI backend (TENSORGRAD_WITH_MPI=1 npx cmake-js compile -O build/mpi).
  if (process.env.TENSORGRAD_DIST_ADDON) return [process.env.TENSORGRAD_DIST_ADDON];
  const prebuild = join(root, "prebuilds", `${process.platform}-${process.arch}`, "tensorgrad_dist", "tensorgrad_dist.node");
  const local = join(root, "build", "Release", "dist", "tensorgrad_dist.node");
  return process.env.PREBUILDS_ONLY ? [prebuild] : [local, prebuild];
}

/**
 * The distributed addon, loaded once.
 * @throws Error saying how to get it when no build of it exists or it cannot be loaded.
 */
export function distAddon(): DistAddon {
  if (addon) return addon;
  const found = candidates().find((p) => existsSync(p));
  const how =
    `Prebuilt tg.distributed ships for linux-x64 (glibc). Elsewhere, install Gloo's development files ` +
    `(Debian/Ubuntu: apt-get install libgloo-dev) and rebuild from source: npx --yes cmake-js@8 compile in ${root}.`;
  if (!found) throw new Error(`tg.distributed: the distributed addon tensorgrad_dist.node is not built. ${how}`);
  try {
    addon = createRequire(import.meta.url)(found) as DistAddon;
  } catch (e) {
    throw new Error(`tg.distributed: cannot load ${found} (${(e as Error).message.split("\n")[0]}). ${how}`);
  }
  return addon;
}
