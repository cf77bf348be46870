// Per-op overhead: add of two [4] tensors, result produced (and, for tfjs, read back to force it).
export function tgTinyAdd(tg, timeIt) {
  const a = tg.tensor([1, 2, 3, 4]), b = tg.tensor([5, 6, 7, 8]);
  return timeIt(() => a.add(b), { batchMs: 100, reps: 9 });
}

export function tfjsTinyAdd(tf, timeIt) {
  const a = tf.tensor1d([1, 2, 3, 4]), b = tf.tensor1d([5, 6, 7, 8]);
  const sec = timeIt(() => {
    const c = tf.add(a, b);
    c.dataSync();
    c.dispose();
  }, { batchMs: 100, reps: 9 });
  tf.dispose([a, b]);
  return sec;
}
