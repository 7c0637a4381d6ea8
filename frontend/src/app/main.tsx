import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { watchSystemTheme } from "@/lib/theme";
import { createQueryClient } from "./query-client";
import { createAppRouter } from "./router";
import "../index.css";

const queryClient = createQueryClient(() => {
  const here = window.location.pathname + window.location.search;
  void router.navigate({ to: "/login", search: { redirect: here } });
});
const router = createAppRouter(queryClient);
watchSystemTheme();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
