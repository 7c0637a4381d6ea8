import { describe, expect, it } from "vitest";
import { host } from "../testing/factories";
import { compareHosts, labelCounts, matchesHost, type SortKey, toHostFilter, validateHostsSearch } from "./filters";

const hosts = [
  host(1, { name: "web-10", labels: { env: "prod", role: "web" }, values: { cpu_percent: 80, memory_percent: 40, disk_percent: 91 } }),
  host(2, { name: "web-2", labels: { env: "prod", role: "web" }, values: { cpu_percent: 20, memory_percent: 90, disk_percent: 10 } }),
  host(3, { name: "db-1", labels: { env: "staging", role: "db" }, status: "offline", values: { cpu_percent: 50, memory_percent: 60, disk_percent: 50 } }),
  host(4, { name: "new-box", status: "never", last_seen: null, values: {} }),
  host(5, { name: "Build", labels: { role: "ci" }, values: { cpu_percent: 50, memory_percent: 10, disk_percent: 50 } }),
];

const names = (filter: Parameters<typeof toHostFilter>[0]) => {
  const f = toHostFilter(filter);
  return hosts.filter((h) => !f || matchesHost(h, f)).map((h) => h.name);
};

describe("filtering", () => {
  it("no filter at all is no filter", () => {
    expect(toHostFilter({})).toBeUndefined();
    expect(toHostFilter({ q: "   " })).toBeUndefined();
  });

  it("searches names and labels, case-insensitively, every word", () => {
    expect(names({ q: "WEB" })).toEqual(["web-10", "web-2"]);
    expect(names({ q: "staging" })).toEqual(["db-1"]);
    expect(names({ q: "role=ci" })).toEqual(["Build"]);
    expect(names({ q: "prod 10" })).toEqual(["web-10"]);
    expect(names({ q: "nothing-like-this" })).toEqual([]);
  });

  it("filters by status", () => {
    expect(names({ status: "offline" })).toEqual(["db-1"]);
    expect(names({ status: "never" })).toEqual(["new-box"]);
  });

  it("labels: one of the values of each key named (OR within a key, AND across keys)", () => {
    expect(names({ labels: ["role=web", "role=db"] })).toEqual(["web-10", "web-2", "db-1"]);
    expect(names({ labels: ["role=web", "env=staging"] })).toEqual([]);
    expect(names({ labels: ["env=prod", "role=web"], q: "2" })).toEqual(["web-2"]);
  });

  it("counts label pairs for the filter menu", () => {
    expect(labelCounts(hosts)).toEqual([
      { pair: "env=prod", count: 2 },
      { pair: "env=staging", count: 1 },
      { pair: "role=ci", count: 1 },
      { pair: "role=db", count: 1 },
      { pair: "role=web", count: 2 },
    ]);
  });
});

describe("sorting", () => {
  const sorted = (key: SortKey, desc = false) => [...hosts].sort((a, b) => compareHosts(a, b, key, desc)).map((h) => h.name);

  it("by name, numbers in names as numbers, case-insensitive", () => {
    expect(sorted("name")).toEqual(["Build", "db-1", "new-box", "web-2", "web-10"]);
    expect(sorted("name", true)).toEqual(["web-10", "web-2", "new-box", "db-1", "Build"]);
  });

  it("by usage, hosts without values last in both directions, ties by name", () => {
    expect(sorted("cpu", true)).toEqual(["web-10", "Build", "db-1", "web-2", "new-box"]);
    expect(sorted("cpu")).toEqual(["web-2", "Build", "db-1", "web-10", "new-box"]);
    expect(sorted("memory", true)[0]).toBe("web-2");
    expect(sorted("disk", true)[0]).toBe("web-10");
  });

  it("by status: offline first, never last", () => {
    expect(sorted("status")).toEqual(["db-1", "Build", "web-2", "web-10", "new-box"]);
  });
});

describe("validateHostsSearch", () => {
  it("keeps what is valid and drops the rest", () => {
    expect(validateHostsSearch({ q: "web", status: "online", labels: ["env=prod", "bad", 3, "env=prod"], sort: "cpu", desc: true })).toEqual({
      q: "web",
      status: "online",
      labels: ["env=prod"],
      sort: "cpu",
      desc: true,
    });
    expect(validateHostsSearch({ q: "", status: "sleeping", sort: "price", desc: "yes", labels: "role=db" })).toEqual({ labels: ["role=db"] });
    expect(validateHostsSearch({ sort: "name", desc: "false" })).toEqual({}); // the defaults stay out of the URL
  });
});
