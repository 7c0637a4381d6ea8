import { describe, expect, it } from "vitest";
import { hostKeyAction, type KeyInput, neighbours } from "./neighbours";

const hosts = [
  { id: 7, name: "alpha" },
  { id: 3, name: "bravo" },
  { id: 9, name: "charlie" },
];

const key = (k: string, extra: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: { tagName: "BODY" },
  ...extra,
});

describe("previous and next host", () => {
  it("follows the overview's (name) order, without wrapping", () => {
    expect(neighbours(hosts, 3)).toEqual({ previous: hosts[0], next: hosts[2], position: 1 });
    expect(neighbours(hosts, 7)).toMatchObject({ previous: null, next: hosts[1] });
    expect(neighbours(hosts, 9)).toMatchObject({ previous: hosts[1], next: null });
    expect(neighbours(hosts, 42)).toEqual({ previous: null, next: null, position: -1 });
  });

  it("moves on ←/→ and h/l, but not while typing, with modifiers or in arrow widgets", () => {
    expect(hostKeyAction(key("ArrowLeft"))).toBe("previous");
    expect(hostKeyAction(key("h"))).toBe("previous");
    expect(hostKeyAction(key("ArrowRight"))).toBe("next");
    expect(hostKeyAction(key("l"))).toBe("next");
    expect(hostKeyAction(key("H"))).toBeNull();
    expect(hostKeyAction(key("l", { target: { tagName: "INPUT" } }))).toBeNull();
    expect(hostKeyAction(key("l", { target: { tagName: "DIV", isContentEditable: true } }))).toBeNull();
    expect(hostKeyAction(key("ArrowRight", { target: { tagName: "BUTTON", role: "radio" } }))).toBeNull();
    expect(hostKeyAction(key("ArrowLeft", { metaKey: true }))).toBeNull();
    expect(hostKeyAction(key("l", { repeat: true }))).toBeNull();
    expect(hostKeyAction(key("h", { defaultPrevented: true }))).toBeNull();
  });
});
