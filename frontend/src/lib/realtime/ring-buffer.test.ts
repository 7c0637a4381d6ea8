import { describe, expect, it } from "vitest";
import { RingSeries } from "./ring-buffer";

describe("RingSeries", () => {
  it("keeps only the newest points, oldest first", () => {
    const ring = new RingSeries(3, 1);
    for (let second = 1; second <= 5; second += 1) ring.push(second, [second * 10]);
    expect(ring.toAligned()).toEqual([
      [3, 4, 5],
      [30, 40, 50],
    ]);
  });

  it("drops repeated or older timestamps and keeps gaps as null", () => {
    const ring = new RingSeries(4, 2);
    ring.push(10, [1, null]);
    ring.push(10, [9, 9]);
    ring.push(9, [8, 8]);
    ring.push(11, [2, 3]);
    expect(ring.toAligned()).toEqual([
      [10, 11],
      [1, 2],
      [null, 3],
    ]);
  });
});
