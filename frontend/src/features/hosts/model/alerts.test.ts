import { describe, expect, it } from "vitest";
import { alert } from "../testing/factories";
import { alertName, alertsByHost } from "./alerts";

describe("alerts by host", () => {
  it("names alerts the way a user reads them", () => {
    expect(alertName(alert(1, 1))).toBe("CPU > 90%");
    expect(alertName(alert(1, 1, { metric: "partition_percent", condition: "ge", threshold: 95, labels: { mountpoint: "/data" } }))).toBe("Partition /data ≥ 95%");
    expect(alertName(alert(1, 1, { metric: "load_1", threshold: 4 }))).toBe("Load > 4");
    expect(alertName(alert(1, 1, { metric: "host_offline", threshold: 3 }))).toBe("Offline");
    expect(alertName(alert(1, 1, { metric: "custom_queue_depth", threshold: 100 }))).toBe("custom_queue_depth > 100");
  });

  it("groups firing alerts per agent, critical first, names once", () => {
    const grouped = alertsByHost([
      alert(1, 7),
      alert(2, 7, { metric: "memory", severity: "critical" }),
      alert(3, 7),
      alert(4, 8, { metric: "disk" }),
      alert(5, null),
    ]);
    expect(grouped.get(7)).toEqual({ count: 3, names: ["Memory > 90%", "CPU > 90%"], critical: true });
    expect(grouped.get(8)).toEqual({ count: 1, names: ["Disk > 90%"], critical: false });
    expect(grouped.size).toBe(2);
  });
});
