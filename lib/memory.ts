// The tensor cache seen from JS: statistics, emptying it, and the two things that keep large
// tensor memory in use rather than fresh from the OS (see native/runtime/memory.h and the
// README's Memory section):
//  - a minor garbage collection before a large allocation, so that tensors dropped without
//    dispose() (`c = a.matmul(b)` in a loop) are freed into the cache first. It is cheap (a scavenge
//    of the young generation) next to what it saves (a page fault per 4 KiB), and backs off when it
//    stops finding memory to reuse. It is skipped while the cache already holds enough freed bytes
//    and the last allocation served that way did reuse them: a scavenge (100–250 µs in a training
//    step of the 784-512-256-10 MLP) is then pure cost, and reading malloc's figures takes ~3 µs;
//  - trimming the cache once large allocations have stopped for a while.
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { isMainThread } from "node:worker_threads";
import { native } from "./native.js";
import { noArguments } from "./options.js";

// Allocations from this size get a collection first (smaller ones rarely reach the OS).
const COLLECT_FROM_BYTES = 1 << 20;
// Allocations from this size count in memoryStats' requests and hits (native/runtime/memory.h's kTrackedBytes).
const TRACKED_BYTES = 64 << 10;
// Return cached memory to the OS after this long without a large allocation.
const IDLE_TRIM_MS = 2000;

const counters = new Float64Array(2);  // requests, hits (native/runtime/memory.h)
const full = new Float64Array(7);      // the same, then malloc's byte figures (memoryStats below)
const CACHED = 3;
let collectMinor: (() => void) | null = null;
let idleTimer: ReturnType<typeof setTimeout> | null = null;

// A way of serving large allocations that is dropped for 1, 2, 4 … 64 of them each time it fails to
// reuse cached memory, once it has failed more than `letPass` times in a row, and kept while it succeeds.
class Backoff {
  private skip = 0;
  private misses = 0;
  constructor(private readonly letPass: number) {}
  ready(): boolean {
    if (this.skip === 0) return true;
    --this.skip;
    return false;
  }
  record(hit: boolean): void {
    this.misses = hit ? 0 : this.misses + 1;
    this.skip = this.misses <= this.letPass ? 0 : Math.min(64, 2 ** (this.misses - this.letPass - 1));
  }
}
// Trusting malloc's freed bytes backs off at its first miss (they were in pieces too small), falling
// back to collecting first. Collecting first lets 5 misses pass: a program's first large allocations
// (its inputs, its first output, the previous output still held by the interpreter's register for `c`)
// find nothing to reuse, and backing off at the first of them sent the outputs that could reuse memory
// to fresh pages too (the never-disposed 1024² matmul loop: 2 more 4 MiB misses, ≈ 30 ms, in its first
// 4 products). A scavenge that finds nothing costs 0.1-0.25 ms; a fresh ≥ 1 MiB allocation ≥ 2.5 ms of
// page faults.
const trustCache = new Backoff(0), collectFirst = new Backoff(5);

// ArrayBuffers are swept (their memory freed) inside the collection that found them dead, on this
// thread, not later on a V8 helper thread: the next large allocation then reuses that memory instead
// of fresh pages, and no helper thread contends for malloc's lock or a core with the kernel pool.
// Measured (1 thread, 21 never-disposed 1024² products): 18,000 → 11,600 page faults, 108 → 138
// GFLOP/s; a never-disposed 64² add 4.3 → 2.6 µs. Left alone when the command line names the flag.
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => a.includes("concurrent-array-buffer-sweeping")))
  v8.setFlagsFromString("--no-concurrent-array-buffer-sweeping");

// V8's own collector, reached the way --expose-gc exposes it, without leaving the flag on.
function minorCollector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as (o: { type: string }) => void;
  v8.setFlagsFromString("--no-expose-gc");
  return () => gc({ type: "minor" });
}

// A lower bound on the freed bytes malloc holds: its last reading less every allocation made through
// largeAllocation since (frees only add to it). mallinfo2 walks every arena's free lists: ~3 µs in a
// fresh process, ~20 µs in the MLP 784-512-256-10 training loop (≈ 1 % of its step at 1 thread), so
// it is read again only when the bound no longer covers the request.
let cachedAtLeast = 0;

function emptyAll(): void {
  native.emptyCache();
  cachedAtLeast = 0;
}

// Re-arms the idle trim (which empties every cache, JS lists included).
function armIdleTrim(): void {
  if (idleTimer) idleTimer.refresh();
  else idleTimer = setTimeout(emptyCache, IDLE_TRIM_MS).unref();
}

// Storage that lib/storage.ts keeps in JS for reuse (its bytes are in malloc's in-use figure), and
// the large allocations it served, counted as hits of the cache as native ones are.
let jsCache: { readonly bytes: number } = { bytes: 0 };
let jsRequests = 0;
export function registerJsCache(cache: { readonly bytes: number }): void {
  jsCache = cache;
}
// A large allocation served from the JS lists.
export function noteLargeReuse(bytes: number): void {
  armIdleTrim();
  if (bytes >= TRACKED_BYTES) ++jsRequests;
}

// Wraps a large allocation: takes cached memory when malloc holds enough freed bytes, else collects
// first when that has recently paid off; and re-arms the idle trim.
export function largeAllocation<T>(bytes: number, alloc: () => T): T {
  armIdleTrim();
  if (!isMainThread) return workerAllocation(bytes, alloc);
  // Twice the bytes: cached memory in a few pieces, none big enough, would fault the whole tensor in.
  let cached = cachedAtLeast;
  if (bytes >= COLLECT_FROM_BYTES && cached < 2 * bytes) {
    native.memoryStats(full);
    cached = full[CACHED];
  }
  cachedAtLeast = Math.max(0, cached - bytes);
  if (bytes < COLLECT_FROM_BYTES) return alloc();
  if (cached >= 2 * bytes && trustCache.ready()) return counted(trustCache, alloc);
  if (!collectFirst.ready()) return alloc();
  (collectMinor ??= minorCollector())();
  return counted(collectFirst, alloc);
}

// A worker thread's large allocation always collects first. malloc's freed bytes are the whole process's, and
// hits are counted for the main thread only (native/runtime/memory.h), so a worker cannot tell whether memory it
// could reuse is in its own arena. (Judged by those figures, a never-disposed 1024² matmul loop in a worker stopped
// collecting and faulted ≈ 340 pages in a product, against 6 now and on the main thread.)
function workerAllocation<T>(bytes: number, alloc: () => T): T {
  if (bytes >= COLLECT_FROM_BYTES) (collectMinor ??= minorCollector())();
  return alloc();
}

// Runs alloc and tells `way` whether it reused cached memory.
function counted<T>(way: Backoff, alloc: () => T): T {
  native.memoryStats(counters);
  const hitsBefore = counters[1];
  const out = alloc();
  native.memoryStats(counters);
  way.record(counters[1] > hitsBefore);
  return out;
}

/** Figures of the tensor cache, as `torch.cuda.memory_stats` gives them for CUDA memory. */
export interface MemoryStats {
  /** Bytes in use in the process heap (tensor storage and every other malloc user). */
  allocatedBytes: number;
  /** Freed bytes kept for reuse by later tensors. */
  cachedBytes: number;
  /**
   * Bytes held from the OS (allocated + cached + allocator overhead). After emptyCache() a freed block below a
   * live allocation has its pages back with the OS but still counts here and in cachedBytes (the heap shrinks
   * only from its top).
   */
  reservedBytes: number;
  /** The highest reservedBytes seen. */
  peakReservedBytes: number;
  /** Allocations of 64 KiB or more on the main thread since load, and how many of them reused cached memory
   * (from tensorgrad's own lists of disposed storage, or from malloc with every page already resident). */
  requests: number;
  hits: number;
  /** hits / requests (0 before the first request). */
  hitRate: number;
  /** The most freed memory kept before it is returned to the OS (env TENSORGRAD_CACHE_MB, default 512 MiB). */
  cacheLimitBytes: number;
}

// torch.cuda's memory functions take a device; tensorgrad has one, the CPU, so an argument is a mistake.
const CPU_ONLY = "tensorgrad runs on the CPU only: there is no device to choose";

/**
 * The tensor cache's statistics. Mirrors `torch.cuda.memory_stats()` (with camelCase names), without its
 * `device` argument. On platforms other than glibc Linux the byte figures are 0.
 * @throws TypeError when given any argument (`memoryStats({device: 0})`), rather than ignoring it.
 */
export function memoryStats(): MemoryStats;
export function memoryStats(...args: unknown[]): MemoryStats {
  noArguments("memoryStats", args, CPU_ONLY);
  const v = new Float64Array(7);
  native.memoryStats(v);
  const [nativeRequests, nativeHits, inUse, mallocCached, reservedBytes, peakReservedBytes, cacheLimitBytes] = v;
  const requests = nativeRequests + jsRequests, hits = nativeHits + jsRequests;
  // Where malloc's statistics exist (glibc), the JS lists' bytes move from in use to cached.
  const js = reservedBytes > 0 ? Math.min(jsCache.bytes, inUse) : 0;
  return { allocatedBytes: inUse - js, cachedBytes: mallocCached + js, reservedBytes, peakReservedBytes, requests, hits,
    hitRate: requests ? hits / requests : 0, cacheLimitBytes };
}

// Caches kept in JS (lib/storage.ts's lists of small disposed storage) that emptyCache() also drops.
const jsCaches: (() => void)[] = [];
export function onEmptyCache(drop: () => void): void {
  jsCaches.push(drop);
}

/**
 * Returns all cached tensor memory to the OS now (also done automatically after 2 s without large
 * allocations), and drops the small disposed storage kept for reuse (the garbage collector then frees
 * its slabs). Mirrors `torch.cuda.empty_cache()`. Later large tensors fault their pages in again.
 * @throws TypeError when given any argument, as `torch.cuda.empty_cache()` takes none.
 */
export function emptyCache(): void;
export function emptyCache(...args: unknown[]): void {
  noArguments("emptyCache", args, "as torch.cuda.empty_cache(): it empties the whole cache");
  for (const drop of jsCaches) drop();
  emptyAll();
}
