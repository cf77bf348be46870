// A gradCheck case table: functional export name → cases (label → check returning true or throwing).
import * as tg from "../../../lib/index.js";

export type GradCases = Record<string, Record<string, () => boolean>>;

/** gradCheck of fn at float64 on the given inputs (non-float ones pass through). */
export const check = (fn: (...xs: tg.Tensor[]) => tg.Tensor, ...inputs: tg.Tensor[]) => () => tg.gradCheck(fn, inputs);
