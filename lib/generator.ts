// tg.Generator: a seedable random stream for the host-side choices of the data pipeline (shuffle
// orders, random splits), as torch.Generator is for torch.randperm. It is xoshiro128** in 32-bit JS
// integers: permutations need one draw per index, cheap next to loading the samples, and a
// generator's whole state is four numbers that a checkpoint stores in its metadata. Without an
// explicit generator, the data pipeline seeds a fresh one from the global stream (tg.manualSeed),
// as PyTorch's RandomSampler seeds from torch's default generator.
import { native } from "./native.js";
import { refuseSurplus } from "./arity.js";

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** A generator's complete state, as `getState()` returns and `setState()` takes. */
export interface GeneratorState {
  seed: number;
  s: [number, number, number, number];
}

/**
 * A seedable pseudo-random generator for data loading (mirrors `torch.Generator` as used by
 * `torch.randperm(n, generator=g)` and `DataLoader(generator=g)`).
 * `new tg.Generator().manualSeed(1)` gives the same shuffle orders on every run and machine.
 */
export class Generator {
  #seed = 0;
  readonly #s = new Uint32Array(4);

  constructor() {
    refuseSurplus(Generator, arguments.length);
    this.manualSeed(0x5eed);
  }

  /**
   * Restarts the stream from `seed` (an integer in [0, 2^53)). Returns this generator, as PyTorch.
   * @throws RangeError when the seed is not a non-negative safe integer.
   */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`Generator.manualSeed: seed must be a non-negative integer, got ${seed}`);
    this.#seed = seed;
    const mix = splitmix32((seed % 0x100000000) ^ Math.floor(seed / 0x100000000) * 0x27d4eb2f);
    for (let i = 0; i < 4; ++i) this.#s[i] = mix();
    return this;
  }

  /** The seed last given to manualSeed (PyTorch's `initial_seed()`). */
  initialSeed(): number {
    return this.#seed;
  }

  /** The full state, JSON-serialisable (store it in a checkpoint to resume the same shuffles). */
  getState(): GeneratorState {
    const [a, b, c, d] = this.#s;
    return { seed: this.#seed, s: [a, b, c, d] };
  }

  /**
   * Restores a state from getState().
   * @throws TypeError when `state` is not {seed, s: four uint32}.
   */
  setState(state: GeneratorState): this {
    const ok = state && Number.isSafeInteger(state.seed) && Array.isArray(state.s) && state.s.length === 4 &&
      state.s.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32) && state.s.some((x) => x !== 0);
    if (!ok) throw new TypeError(`Generator.setState: expected {seed, s: [four uint32, not all 0]} from getState(), got ${JSON.stringify(state)}`);
    this.#seed = state.seed;
    this.#s.set(state.s);
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** An unbiased integer in [0, n), n in [1, 2^32]. */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`Generator.below: n must be an integer in [1, 2^32], got ${n}`);
    // Rejection keeps every residue equally likely.
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /**
   * A uniformly random permutation of 0..n-1 (Fisher-Yates), as `torch.randperm(n, generator=g)`
   * (the same distribution, not the same numbers as PyTorch's stream).
   * @throws RangeError when n is not a non-negative integer below 2^31.
   */
  randperm(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new RangeError(`Generator.randperm: n must be an integer in [0, 2^31), got ${n}`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; ++i) out[i] = i;
    for (let i = n - 1; i > 0; --i) {
      const j = this.below(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}

/**
 * A new Generator seeded from the global stream, so `tg.manualSeed(s)` fixes what it draws
 * (PyTorch's RandomSampler does the same with torch's default generator).
 */
export function generatorFromGlobalSeed(): Generator {
  const seed = new Int32Array(2);
  native.randInt(seed, 0, 2 ** 31 - 1);
  return new Generator().manualSeed(seed[0] * 2 ** 21 + (seed[1] & 0x1fffff));
}
