// Every ```js block of the README runs as written (in a scratch directory, its imports bound to this
// checkout), so a cheat-sheet line that uses a name its block never defines, or an API that changed,
// fails here. A block marked `<!-- readme-blocks: not run (why) -->` on the line above its fence is
// left to the test that runs its real form (the reason names it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tg from "../../lib/index.js";

const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");

interface Block { heading: string; line: number; code: string; skip: string | null }

function blocks(): Block[] {
  const lines = readme.split("\n"), out: Block[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; ++i) {
    if (/^#+ /.test(lines[i])) heading = lines[i].replace(/^#+ /, "");
    if (lines[i] !== "```js") continue;
    const end = lines.indexOf("```", i + 1);
    const skip = /^<!-- readme-blocks: not run \((.+)\) -->$/.exec(lines[i - 1])?.[1] ?? null;
    out.push({ heading, line: i + 1, code: lines.slice(i + 1, end).join("\n"), skip });
    i = end;
  }
  return out;
}

// `import … from "m"` as `const … = await load("m")`, tensorgrad being this checkout; a block without
// the import line (most) uses `tg` as the README's first block imported it.
function runnable(code: string): string {
  const prelude = /^import .* from "tensorgrad";$/m.test(code) ? "" : "const tg = await load(\"tensorgrad\");\n";
  return prelude + code.replace(/^import (\* as (\w+)|\{[^}]*\}) from "([^"]+)";$/gm, (_, what: string, ns: string | undefined, m: string) =>
    `const ${ns ?? what} = await load(${JSON.stringify(m)});`);
}
const load = (m: string) => (m === "tensorgrad" ? Promise.resolve(tg) : import(m));
// eslint-disable-next-line @typescript-eslint/no-empty-function
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

const ALL = blocks();
const home = process.cwd();
let scratch = "";
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "tg-readme-"));
  process.chdir(scratch);
});
afterAll(() => {
  process.chdir(home);
  rmSync(scratch, { recursive: true, force: true });
});

describe("README code blocks", () => {
  it("finds the blocks, and every skipped one says why", () => {
    expect(ALL.length).toBeGreaterThan(12);
    expect(ALL.filter((b) => b.skip).map((b) => b.heading)).toEqual(["Distributed training", "Training loop", "Training off the event loop"]);
  });
  it.each(ALL.filter((b) => !b.skip).map((b) => [`${b.heading} (README line ${b.line})`, b] as const))("%s runs", async (_, b) => {
    tg.manualSeed(0);
    const printed: string[] = [];
    const console = { log: (...a: unknown[]) => printed.push(a.join(" ")) };
    await new AsyncFunction("load", "console", runnable(b.code))(load, console);
    // What a block prints or writes, it really printed or wrote.
    if (/console\.log/.test(b.code)) expect(printed.length).toBeGreaterThan(0);
    for (const [, file] of b.code.matchAll(/(?:writeFileSync|save|plot)\([^"]*"([\w.-]+\.(?:svg|safetensors))"/g))
      expect(existsSync(join(scratch, file)), file).toBe(true);
  });
});
