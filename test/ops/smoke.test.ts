import { describe, expect, it } from "vitest";
import * as tg from "../../lib/index.js";

describe("lecture example", () => {
  it("f(x,y,z) = (x+y)z at (-2, 5, -4)", () => {
    const x = tg.tensor(-2, { requiresGrad: true }), y = tg.tensor(5, { requiresGrad: true }), z = tg.tensor(-4, { requiresGrad: true });
    const f = x.add(y).mul(z);
    f.backward();
    expect(f.item()).toBe(-12);
    expect([x.grad!.item(), y.grad!.item(), z.grad!.item()]).toEqual([-4, -4, 3]);
  });
});
