import { describe, expect, it, vi } from "vitest";
import { batched } from "./batch";

describe("batched", () => {
  it("loads the keys asked for together in one call, each asker getting its own answer", async () => {
    const load = vi.fn((keys: number[]) => Promise.resolve(new Map(keys.filter((key) => key !== 3).map((key) => [key, key * 10]))));
    const ask = batched(load);
    const answers = await Promise.all([ask(1), ask(2), ask(3), ask(1)]);
    expect(answers).toEqual([10, 20, undefined, 10]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith([1, 2, 3]);
  });

  it("splits a large batch into requests of at most `max` keys, and a failure reaches its askers", async () => {
    const load = vi.fn((keys: number[]) => (keys.includes(3) ? Promise.reject(new Error("503")) : Promise.resolve(new Map(keys.map((key) => [key, key])))));
    const ask = batched(load, { max: 2 });
    const results = await Promise.allSettled([ask(1), ask(2), ask(3), ask(4)]);
    expect(load.mock.calls).toEqual([[[1, 2]], [[3, 4]]]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected", "rejected"]);
  });

  it("starts a new batch for keys asked for after the last one went out", async () => {
    const load = vi.fn((keys: number[]) => Promise.resolve(new Map(keys.map((key) => [key, key]))));
    const ask = batched(load);
    await ask(1);
    await ask(2);
    expect(load.mock.calls).toEqual([[[1]], [[2]]]);
  });
});
