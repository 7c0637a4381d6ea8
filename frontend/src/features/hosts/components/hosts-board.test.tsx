import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { render } from "vitest-browser-react";
import { userEvent } from "vitest/browser";
import type { AlertRule, FiringAlert, Host } from "../api/queries";
import type { HostsView } from "../hooks/use-hosts-view";
import type { HostsSearch } from "../model/filters";
import { alert, host, rule } from "../testing/factories";
import { HostsBoard } from "./hosts-board";

const many: Host[] = Array.from({ length: 2000 }, (_, i) =>
  host(i + 1, {
    name: `node-${String(i + 1).padStart(4, "0")}`,
    labels: { env: i % 2 === 0 ? "prod" : "staging", rack: `r${i % 10}` },
    status: i % 100 === 0 ? "offline" : "online",
    values: { cpu_percent: (i * 7) % 100, memory_percent: 40, disk_percent: (i * 3) % 100 },
  }),
);

function Harness({ hosts, alerts = [], rules = [], initial = {}, view: initialView = "grid" }: { hosts: Host[]; alerts?: FiringAlert[]; rules?: AlertRule[]; initial?: HostsSearch; view?: HostsView }) {
  const [search, setSearch] = useState<HostsSearch>(initial);
  const [view, setView] = useState<HostsView>(initialView);
  return (
    <>
      <output data-testid="search">{JSON.stringify(search)}</output>
      <HostsBoard
        hosts={hosts}
        alerts={alerts}
        rules={rules}
        search={search}
        onSearchChange={(change) => setSearch((previous) => JSON.parse(JSON.stringify({ ...previous, ...change })) as HostsSearch)}
        view={view}
        onViewChange={setView}
      />
    </>
  );
}

async function renderBoard(props: Parameters<typeof Harness>[0]) {
  const root = createRootRoute({ component: () => <Harness {...props} /> });
  const hostRoute = createRoute({ getParentRoute: () => root, path: "/hosts/$agentId", component: () => null });
  const router = createRouter({ routeTree: root.addChildren([hostRoute]), history: createMemoryHistory({ initialEntries: ["/"] }) });
  const client = new QueryClient();
  return render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

const cards = () => document.querySelectorAll("[data-host-card]");

describe("HostsBoard", () => {
  it("mounts only the cards near the viewport out of 2,000 hosts", async () => {
    const screen = await renderBoard({ hosts: many });
    await expect.element(screen.getByText("Showing 2,000 of 2,000")).toBeVisible();
    await expect.element(screen.getByRole("link", { name: "node-0001" })).toBeVisible();
    expect(cards().length).toBeGreaterThan(0);
    expect(cards().length).toBeLessThan(80);
  });

  it("filters by search, status and labels, through the toolbar", async () => {
    const screen = await renderBoard({ hosts: many });
    await screen.getByRole("searchbox", { name: "Search hosts" }).fill("node-1999");
    await expect.element(screen.getByText("Showing 1 of 2,000")).toBeVisible();
    await expect.element(screen.getByRole("link", { name: "node-1999" })).toBeVisible();
    await expect.element(screen.getByTestId("search")).toHaveTextContent('{"q":"node-1999"}');

    await screen.getByRole("button", { name: "Clear filters" }).click();
    await expect.element(screen.getByText("Showing 2,000 of 2,000")).toBeVisible();
    await expect.element(screen.getByRole("searchbox", { name: "Search hosts" })).toHaveValue("");

    await screen.getByRole("combobox", { name: "Status" }).selectOptions("offline");
    await expect.element(screen.getByText("Showing 20 of 2,000")).toBeVisible();

    await screen.getByRole("button", { name: "Labels" }).click();
    await screen.getByRole("menuitemcheckbox", { name: /^rack=r0 \(/ }).click();
    await userEvent.keyboard("{Escape}");
    await expect.element(screen.getByText("Showing 20 of 2,000")).toBeVisible(); // every 100th host is offline and in rack r0
    await screen.getByRole("button", { name: "Labels (1)" }).click();
    await screen.getByRole("menuitemcheckbox", { name: /^rack=r1 \(/ }).click();
    await userEvent.keyboard("{Escape}");
    await expect.element(screen.getByTestId("search")).toHaveTextContent('"labels":["rack=r0","rack=r1"]');
  });

  it("says so when nothing matches, and clears from there", async () => {
    const screen = await renderBoard({ hosts: many, initial: { q: "no-such-host" } });
    await expect.element(screen.getByRole("heading", { name: "No host matches" })).toBeVisible();
    await screen.getByRole("button", { name: "Clear filters" }).last().click();
    await expect.element(screen.getByText("Showing 2,000 of 2,000")).toBeVisible();
  });

  it("the table view sorts from its headers, with the same rows", async () => {
    const hosts = [
      host(1, { name: "alpha", values: { cpu_percent: 12, memory_percent: 50, disk_percent: 10 } }),
      host(2, { name: "bravo", values: { cpu_percent: 97, memory_percent: 20, disk_percent: 30 } }),
      host(3, { name: "charlie", status: "never", last_seen: null, values: {} }),
    ];
    const screen = await renderBoard({ hosts, view: "table" });
    const firstRowName = () => document.querySelector("tbody tr[data-host-row] a")?.textContent;
    await expect.element(screen.getByRole("table")).toBeVisible();
    expect(firstRowName()).toBe("alpha");
    await screen.getByRole("button", { name: "CPU" }).click();
    await expect.element(screen.getByRole("columnheader", { name: "CPU", exact: true })).toHaveAttribute("aria-sort", "descending");
    expect(firstRowName()).toBe("bravo");
    await expect.element(screen.getByTestId("search")).toHaveTextContent('{"sort":"cpu","desc":true}');
    await screen.getByRole("button", { name: "CPU" }).click();
    expect(firstRowName()).toBe("alpha");
    expect(document.querySelector("tbody tr[data-host-row]:last-of-type a")?.textContent).toBe("charlie"); // no values: last either way

    await screen.getByRole("button", { name: "Grid" }).click();
    await expect.element(screen.getByRole("button", { name: "Grid" })).toHaveAttribute("aria-pressed", "true");
    expect(cards().length).toBe(3);
  });

  it("shows firing alerts and colours bars by the host's rules", async () => {
    const hosts = [host(1, { name: "busy", values: { cpu_percent: 85, memory_percent: 85, disk_percent: 10 } })];
    const screen = await renderBoard({
      hosts,
      alerts: [alert(1, 1, { metric: "cpu", threshold: 80 }), alert(2, 1, { metric: "disk", threshold: 5, severity: "critical" }), alert(3, 99)],
      rules: [rule(1, { metric_type: "cpu", threshold: 80, severity: "critical" })],
    });
    await expect.element(screen.getByText("2 firing")).toBeVisible();
    await expect.element(screen.getByText("Disk > 5% · CPU > 80%")).toBeVisible();
    const fill = (name: string) => screen.getByRole("meter", { name }).element().firstElementChild;
    expect(fill("CPU busy")).toHaveClass("bg-crit"); // the rule's critical level, not the default 90
    expect(fill("Memory busy")).toHaveClass("bg-warn"); // no memory rule: the default 70
  });
});
