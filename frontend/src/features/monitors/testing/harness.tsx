// Component tests: the API answered by a table of handlers (window.fetch spied), a signed-in
// session with a role, and a router holding the monitors' paths so links resolve.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { vi } from "vitest";
import { render } from "vitest-browser-react";
import { session } from "@/lib/api/session";
import { meKeys, type Role } from "@/lib/api/me";

export interface Sent {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
}

type Handler = (sent: Sent) => unknown;

/** `{"GET /api/probes/monitors": () => body}`; a Response is returned as it is, anything else as JSON. */
export function mockApi(handlers: Record<string, Handler>): Sent[] {
  const sent: Sent[] = [];
  vi.spyOn(window, "fetch").mockImplementation(async (input, init) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const text = await request.clone().text();
    const entry: Sent = { method: request.method, path: url.pathname, search: url.searchParams, body: text ? (JSON.parse(text) as unknown) : null };
    sent.push(entry);
    const exact = handlers[`${request.method} ${url.pathname}`];
    const pattern = Object.entries(handlers).find(([key]) => {
      const [method, path] = key.split(" ");
      return method === request.method && path !== undefined && new RegExp(`^${path.replace(/\{\w+\}/g, "[^/]+")}$`).test(url.pathname);
    });
    const handler = exact ?? pattern?.[1];
    if (!handler) return Response.json({ detail: `no handler for ${request.method} ${url.pathname}` }, { status: 404 });
    const answer = handler(entry);
    return answer instanceof Response ? answer : Response.json(answer);
  });
  return sent;
}

export async function renderPage(ui: ReactNode, { role = "admin", path = "/" }: { role?: Role; path?: string } = {}) {
  session.accept({ access_token: "test-token", expires_in: 3600 });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  // Only the role matters to these pages (useCan).
  client.setQueryData(meKeys.all, { role });
  const root = createRootRoute({ component: () => ui });
  const leaf = (to: string) => createRoute({ getParentRoute: () => root, path: to, component: () => null });
  const router = createRouter({
    routeTree: root.addChildren([leaf("/monitors"), leaf("/monitors/new"), leaf("/monitors/$monitorId"), leaf("/monitors/$monitorId/edit"), leaf("/incidents"), leaf("/hosts/$agentId")]),
    history: createMemoryHistory({ initialEntries: [path] }),
  });
  const screen = await render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { screen, client, router };
}
