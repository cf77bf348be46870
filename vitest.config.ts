import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous: CI also runs the suite under ASan (several times slower), and the slowest tests
    // (multi-process distributed runs, thread-equality checks on large inputs) took 25–55 s on a
    // loaded 2-core machine. A timeout is a hang detector here, never a speed check.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
