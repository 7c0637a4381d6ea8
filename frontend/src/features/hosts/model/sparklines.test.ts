import { describe, expect, it, vi } from "vitest";
import { SPARK_POINTS, SparkStore, sparkPoints } from "./sparklines";

describe("SparkStore", () => {
  it("keeps a capped ring per host and tells only that host's listeners", () => {
    const store = new SparkStore();
    const one = vi.fn();
    const two = vi.fn();
    store.subscribe(1, one);
    store.subscribe(2, two);
    for (let i = 0; i < SPARK_POINTS + 5; i += 1) store.push(1, i, i);
    expect(store.values(1)).toHaveLength(SPARK_POINTS);
    expect(store.values(1)[0]).toBe(5);
    expect(one).toHaveBeenCalledTimes(SPARK_POINTS + 5);
    expect(two).not.toHaveBeenCalled();
  });

  it("ignores repeats, older reports and missing values; forgets deleted hosts", () => {
    const store = new SparkStore();
    store.push(1, 10, 5);
    store.push(1, 10, 6);
    store.push(1, 9, 7);
    store.push(1, 11, null);
    store.push(2, 10, 1);
    expect(store.values(1)).toEqual([5]);
    store.retain(new Set([2]));
    expect(store.values(1)).toEqual([]);
    expect(store.hostCount).toBe(1);
  });

  it("draws newest at the right edge, 100 % at the top", () => {
    expect(sparkPoints([50], 100, 10)).toBe("");
    const points = sparkPoints([0, 100], 70, 10).split(" ");
    expect(points).toEqual(["68.0,10.0", "70.0,0.0"]);
  });
});
