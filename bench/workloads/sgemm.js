// sgemm GFLOP/s: square sizes and the MLP's training shapes, forward and both backward forms.
// Transposed operands are transposed views (a.t()), never materialised copies.
export const GEMM_SHAPES = [
  ...[64, 128, 256, 512, 1024, 2048].map((n) => ({ key: `n${n}`, label: `sgemm n=${n}`, M: n, N: n, K: n, ta: false, tb: false })),
  // The same product written into a tensor made once (PyTorch's out=): no new output memory per call,
  // which costs a 64³ product about half as much as its arithmetic. Peers: OpenBLAS always writes a given C.
  { key: "n64-out", label: "sgemm n=64 into out", M: 64, N: 64, K: 64, ta: false, tb: false, out: true },
  { key: "n1024-tn", label: "sgemm n=1024 Aᵀ·B", M: 1024, N: 1024, K: 1024, ta: true, tb: false },
  { key: "n1024-nt", label: "sgemm n=1024 A·Bᵀ", M: 1024, N: 1024, K: 1024, ta: false, tb: true },
  // Layer 1 of the MLP at batch 128: forward X·W, weight grad Xᵀ·dY, input grad dY·Wᵀ.
  { key: "fc-nn", label: "sgemm A·B   128×784·784×512", M: 128, N: 512, K: 784, ta: false, tb: false },
  { key: "fc-tn", label: "sgemm Aᵀ·B  (128×784)ᵀ·128×512", M: 784, N: 512, K: 128, ta: true, tb: false },
  { key: "fc-nt", label: "sgemm A·Bᵀ  128×512·(784×512)ᵀ", M: 128, N: 784, K: 512, ta: false, tb: true },
];

export const gemmFlops = (s) => 2 * s.M * s.N * s.K;

// The pure-JS tfjs backend runs ≈1 GFLOP/s: beyond this many flops a single call takes seconds.
export const TFJS_CPU_MAX_FLOPS = 2 * 512 ** 3;

// Operand shapes as stored: a transposed operand is stored the other way round and viewed through .t().
const storedA = (s) => (s.ta ? [s.K, s.M] : [s.M, s.K]);
const storedB = (s) => (s.tb ? [s.N, s.K] : [s.K, s.N]);

export function tgSgemm(tg, timeIt, s) {
  const a0 = tg.randn(storedA(s)), b0 = tg.randn(storedB(s));
  const a = s.ta ? a0.t() : a0, b = s.tb ? b0.t() : b0;
  if (s.out) {
    const out = tg.zeros([s.M, s.N]);
    return timeIt(() => a.matmul(b, { out }));
  }
  return timeIt(() => a.matmul(b));
}

export function tfjsSgemm(tf, timeIt, s) {
  const a = tf.randomNormal(storedA(s)), b = tf.randomNormal(storedB(s));
  const sec = timeIt(() => {
    const c = tf.matMul(a, b, s.ta, s.tb);
    c.dataSync();
    c.dispose();
  }, { reps: 5, warmupCalls: 1 });
  tf.dispose([a, b]);
  return sec;
}
