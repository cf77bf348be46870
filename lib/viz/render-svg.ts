// DOT → SVG through Graphviz compiled to WebAssembly (@viz-js/viz): no native Graphviz, no
// install script, no network. Loaded on first use only, so `import "tensorgrad"` never pulls it in.
import { lazyImport } from "../utils/lazy.js";
import { refuseSurplus } from "../arity.js";

interface VizInstance {
  renderString(src: string, opts: { format: string; engine?: string }): string;
}
let viz: Promise<VizInstance> | undefined;

/**
 * Renders Graphviz DOT (e.g. from viz.graph) to an SVG document string.
 * @param engine Graphviz layout engine, default "dot".
 * @throws TypeError when dot is not a string; Error with Graphviz's message when the DOT does not parse.
 */
export async function renderSvg(dot: string, opts?: { engine?: string }): Promise<string> {
  refuseSurplus(renderSvg, arguments.length, opts);
  if (typeof dot !== "string") throw new TypeError(`viz.renderSvg: expected DOT source as a string, got ${typeof dot}`);
  viz ??= lazyImport<{ instance(): Promise<VizInstance> }>("@viz-js/viz", "viz.renderSvg").then((m) => m.instance());
  const instance = await viz;
  try {
    return instance.renderString(dot, { format: "svg", engine: opts?.engine ?? "dot" });
  } catch (e) {
    throw new Error(`viz.renderSvg: Graphviz could not render the DOT: ${(e as Error).message}`);
  }
}
