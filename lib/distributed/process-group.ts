// The default process group (PyTorch's torch.distributed "world"): initProcessGroup() makes it,
// the collectives use it, destroyProcessGroup() ends it. One per process.
import { options } from "../options.js";
import { distAddon, type GroupConfig, type NativeGroup } from "./addon.js";
import { refuseSurplus } from "../arity.js";

export interface InitOptions {
  /** "gloo" (CPU collectives over TCP, default) or "mpi" (only in a build with TENSORGRAD_WITH_MPI=1; run under mpirun). */
  backend?: "gloo" | "mpi";
  /** "env://" (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE) or "file://<directory shared by the ranks>". */
  initMethod?: string;
  rank?: number;
  worldSize?: number;
  /** How long a collective (and the rendezvous) may wait for the other ranks; default 30 min. */
  timeoutMs?: number;
}

interface World {
  group: NativeGroup;
  rank: number;
  size: number;
}

let world: World | null = null;
let starting = false;

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;

function intFrom(op: string, name: string, given: number | undefined, envName: string, min: number, altEnv: string[] = []): number {
  const raw = given ?? [envName, ...altEnv].map((k) => process.env[k]).find((v) => v !== undefined && v !== "");
  if (raw === undefined || raw === "")
    throw new Error(`${op}: ${name} is not given and the environment variable ${envName} is not set (tensorgrad-run sets it)`);
  const v = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(`${op}: ${name} must be an integer >= ${min}, got ${given !== undefined ? raw : `${envName}=${raw}`}`);
  return v;
}

function storeConfig(op: string, initMethod: string): Pick<GroupConfig, "fileStore" | "host" | "port" | "path"> {
  if (initMethod === "env://") {
    const host = process.env.MASTER_ADDR;
    if (!host) throw new Error(`${op}: initMethod "env://" needs MASTER_ADDR (the address of rank 0's machine)`);
    const port = intFrom(op, "the store port", undefined, "MASTER_PORT", 1);
    if (port > 65535) throw new RangeError(`${op}: MASTER_PORT must be a TCP port (1..65535), got ${port}`);
    return { fileStore: false, host, port, path: "" };
  }
  if (initMethod.startsWith("file://") && initMethod.length > "file://".length)
    return { fileStore: true, host: "", port: 0, path: initMethod.slice("file://".length) };
  throw new Error(`${op}: initMethod must be "env://" or "file://<directory>", got "${initMethod}"`);
}

/**
 * Joins this process to the default process group: waits until all `worldSize` ranks have met
 * through the store, then connects every pair of ranks over TCP (Gloo). Mirrors
 * `torch.distributed.init_process_group`.
 * @throws Error when already initialized, for backend "mpi" (not built), a bad initMethod, a missing
 *   environment variable, rank >= worldSize, worldSize < 1 or timeoutMs <= 0; the promise rejects
 *   naming the ranks that did not join within timeoutMs, or one started with another worldSize.
 */
export async function initProcessGroup(opts: InitOptions = {}): Promise<void> {
  refuseSurplus(initProcessGroup, arguments.length, opts);
  const op = "initProcessGroup";
  const o = options(op, opts, ["backend", "initMethod", "rank", "worldSize", "timeoutMs"]);
  if (world || starting) throw new Error(`${op}: the default process group is already initialized; call destroyProcessGroup() first`);
  const backend = o.backend ?? "gloo";
  if (backend !== "gloo" && backend !== "mpi") throw new Error(`${op}: backend must be "gloo" or "mpi", got "${String(backend)}"`);
  const mpi = backend === "mpi";
  // Under mpirun, Open MPI's (or MPICH's) variables give the rank and size.
  const size = intFrom(op, "worldSize", o.worldSize, "WORLD_SIZE", 1, mpi ? ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] : []);
  const rank = intFrom(op, "rank", o.rank, "RANK", 0, mpi ? ["OMPI_COMM_WORLD_RANK", "PMI_RANK"] : []);
  if (rank >= size) throw new RangeError(`${op}: rank must be in [0, worldSize = ${size}), got ${rank}`);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(`${op}: timeoutMs must be a positive integer, got ${timeoutMs}`);
  const store = mpi ? { fileStore: false, host: "", port: 0, path: "" } : storeConfig(op, o.initMethod ?? "env://");
  const group = new (distAddon().Group)({ rank, size, timeoutMs, iface: process.env.GLOO_SOCKET_IFNAME ?? "", mpi, ...store });
  starting = true;
  try {
    await group.connect();
  } catch (e) {
    await group.close().catch(() => undefined);
    throw e;
  } finally {
    starting = false;
  }
  world = { group, rank, size };
}

/** Whether initProcessGroup() has completed (and destroyProcessGroup() not been called since). */
export function isInitialized(): boolean {
  refuseSurplus(isInitialized, arguments.length);
  return world !== null;
}

/** The default group, or an Error naming `op`. */
export function currentWorld(op: string): World {
  if (!world) throw new Error(`${op}: the default process group is not initialized; await tg.distributed.initProcessGroup() first`);
  return world;
}

/** This process's rank in [0, worldSize). Mirrors `torch.distributed.get_rank`. @throws Error before initProcessGroup(). */
export function getRank(): number {
  refuseSurplus(getRank, arguments.length);
  return currentWorld("getRank").rank;
}

/** The number of ranks. Mirrors `torch.distributed.get_world_size`. @throws Error before initProcessGroup(). */
export function getWorldSize(): number {
  refuseSurplus(getWorldSize, arguments.length);
  return currentWorld("getWorldSize").size;
}

/**
 * Ends the default group after the collectives already queued have finished: closes its
 * connections (and rank 0's store) and stops its communication thread. Mirrors
 * `torch.distributed.destroy_process_group`. @throws Error when no group is initialized.
 */
export async function destroyProcessGroup(): Promise<void> {
  refuseSurplus(destroyProcessGroup, arguments.length);
  const w = currentWorld("destroyProcessGroup");
  world = null;
  await w.group.close();
}
