// Array.prototype.map without its hidden-class switch. The interpreter's map returns a PACKED array,
// but once TurboFan inlines the calling function its map returns a HOLEY one: a shape, stride or
// gradient list made by map changes hidden class when its maker is optimised, and every optimised
// function that had only seen the other class (numelOf, isContiguous, the Tensor constructor, the
// native layout writer, the backward engine) deoptimises and is compiled again. In the small MLP
// that was two waves of about ten deoptimisations each, at steps ≈ 420 and ≈ 2,000. Arrays built
// by push keep one class (PACKED) in every tier.
export function packedMap<T, U>(a: readonly T[], f: (v: T, i: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < a.length; ++i) out.push(f(a[i], i));
  return out;
}
