// Starts N ranks of a worker script as child processes on 127.0.0.1 with torchrun's environment
// and collects each one's exit code and output. Workers import the built package (dist/).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const worker = (name: string) => fileURLToPath(new URL(`./workers/${name}`, import.meta.url));

export interface RankResult {
  rank: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * A TCP port below Linux's ephemeral range (32768–60999) that was free a moment ago. The OS hands ephemeral
 * ports to every connect() and listen(0) on the machine, so a port found free there could go to another
 * process (a Gloo pair, another test's connection) before the master binds it; ports below the range are only
 * ever taken by asking for them. Drawn at random, so test files running in parallel rarely try the same one.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; ++tries) {
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (await isFree(port)) return port;
  }
  throw new Error("freePort: no free port in 20000-32767 after 50 tries");
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** Runs a command to completion (killed after killMs). */
export function run(args: string[], env: Record<string, string>, killMs = 60_000): Promise<Omit<RankResult, "rank">> {
  return new Promise((resolve) => {
    const start = Date.now();
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), killMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - start });
    });
  });
}

/** Runs `script` as ranks 0..n-1 of one job over env:// (or the given extra environment). */
export async function runRanks(script: string, n: number, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<RankResult[]> {
  const port = await freePort();
  return Promise.all(
    Array.from({ length: n }, async (_, rank) => ({
      rank,
      ...(await run([worker(script), ...args], {
        MASTER_ADDR: "127.0.0.1", MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: String(n), ...extraEnv,
      })),
    })),
  );
}

/** The JSON a worker printed as its last line. */
export function lastJson(r: RankResult): any {
  const lines = r.stdout.trim().split("\n");
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    throw new Error(`rank ${r.rank} printed no JSON (code ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}
