// tg.viz: pictures of the recorded computation graph (DOT, Mermaid, SVG).
export { graph } from "./dot.js";
export { mermaid } from "./mermaid.js";
export { renderSvg } from "./render-svg.js";
export type { GraphOptions } from "./graph-model.js";
