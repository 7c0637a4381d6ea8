// Component tests: the API answered by a table of handlers (window.fetch spied), a signed-in
// session with a role, and a router holding the paths alerts link to.
// (The same shape as features/monitors/testing/harness.tsx: features do not share code.)
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { vi } from "vitest";
import { render } from "vitest-browser-react";
import { meKeys, type Role } from "@/lib/api/me";
import { session } from "@/lib/api/session";

export interface Sent {
  method: string;
  path: string;
  search: URLSearchParams;
  body: unknown;
}

/** `{"GET /api/probes/monitors": () => body}`; a Response is returned as it is, anything else as JSON. */
export function mockApi(handlers: Record<string, (sent: Sent) => unknown>): Sent[] {
  const sent: Sent[] = [];
  vi.spyOn(window, "fetch").mockImplementation(async (input, init) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const text = await request.clone().text();
    const entry: Sent = { method: request.method, path: url.pathname, search: url.searchParams, body: text ? (JSON.parse(text) as unknown) : null };
    sent.push(entry);
    const handler = handlers[`${request.method} ${url.pathname}`];
    if (!handler) return Response.json({ detail: `no handler for ${request.method} ${url.pathname}` }, { status: 404 });
    const answer = await handler(entry); // a handler may answer later (a Promise)
    return answer instanceof Response ? answer : Response.json(answer);
  });
  return sent;
}

export async function renderWithApp(ui: ReactNode, { role = "admin" }: { role?: Role } = {}) {
  session.accept({ access_token: "test-token", expires_in: 3600 });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  client.setQueryData(meKeys.all, { role });
  const root = createRootRoute({ component: () => ui });
  const leaf = (path: string) => createRoute({ getParentRoute: () => root, path, component: () => null });
  const router = createRouter({
    routeTree: root.addChildren([leaf("/"), leaf("/alerts"), leaf("/hosts/$agentId"), leaf("/monitors/$monitorId")]),
    history: createMemoryHistory({ initialEntries: ["/"] }),
  });
  const screen = await render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { screen, client, router };
}
