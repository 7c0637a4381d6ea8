import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { AppLayout } from "@/app/app-layout";
import { meQuery } from "@/features/auth";
import { session } from "@/lib/api/session";

// Every signed-in page. A reload restores the session from the refresh cookie; without one
// the user signs in and comes back to where they were.
export const Route = createFileRoute("/_app")({
  beforeLoad: async ({ location }) => {
    if ((await session.valid()) === null) {
      throw redirect({ to: "/login", search: { redirect: location.href } });
    }
  },
  loader: ({ context }) => context.queryClient.query({ ...meQuery(), staleTime: "static" }),
  component: () => (
    <AppLayout>
      <Outlet />
    </AppLayout>
  ),
});
