// A small text plot of a curve, so training shows its progress in a terminal.
const ROWS = 8;

export function lossCurve(values) {
  const hi = Math.max(...values), lo = Math.min(...values), span = hi - lo || 1;
  const rows = [];
  for (let r = ROWS - 1; r >= 0; --r) {
    const level = lo + (span * (r + 0.5)) / ROWS;
    const label = (lo + (span * r) / (ROWS - 1)).toFixed(3).padStart(7);
    rows.push(`${label} |` + values.map((v) => (v >= level ? "█" : " ")).join(""));
  }
  rows.push(" ".repeat(8) + "+" + "-".repeat(values.length) + " epoch");
  return rows.join("\n");
}
