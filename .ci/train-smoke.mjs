// Short training run as a user would write it: import the installed package, fit a small tanh MLP to a
// smooth target with plain SGD, and fail unless the loss falls. Prints one JSON line with what was used.
// Env: EXPECT_ISA (scalar|avx2|avx512) and EXPECT_PREBUILD=1 turn into checks.
import * as tg from "tensorgrad";
import { createRequire } from "node:module";
import { dirname } from "node:path";

const require = createRequire(import.meta.url);
const pkgRoot = dirname(dirname(require.resolve("tensorgrad")));  // <root>/dist/index.js
const loaded = createRequire(`${pkgRoot}/package.json`)("node-gyp-build").resolve(pkgRoot);

tg.manualSeed(0);
const x = tg.randn([64, 4]);
const y = tg.tanh(tg.matmul(x, tg.randn([4, 1])));
const params = [tg.randn([4, 16]).mul(0.5), tg.randn([16, 1]).mul(0.25)].map((p) => p.requiresGrad_());
const [w1, w2] = params;

const losses = [];
for (let step = 0; step < 150; step++) {
  const err = tg.matmul(tg.tanh(tg.matmul(x, w1)), w2).sub(y);
  const loss = tg.mean(err.mul(err));
  losses.push(loss.item());
  loss.backward();
  tg.noGrad(() => {
    for (const p of params) {
      p.copy_(p.sub(p.grad.mul(0.1)));
      p.grad = null;
    }
  });
}

const first = losses[0];
const last = losses[losses.length - 1];
const isa = tg.cpuIsa();
console.log(JSON.stringify({ isa, loaded, first, last }));

const failures = [];
if (!(last < 0.5 * first)) failures.push(`loss did not fall: ${first} -> ${last}`);
if (process.env.EXPECT_ISA && isa !== process.env.EXPECT_ISA) failures.push(`isa ${isa}, expected ${process.env.EXPECT_ISA}`);
if (process.env.EXPECT_PREBUILD === "1" && !/[\\/]prebuilds[\\/]/.test(loaded)) failures.push(`not a prebuild: ${loaded}`);
for (const f of failures) console.error(`train-smoke: ${f}`);
process.exit(failures.length ? 1 : 0);
