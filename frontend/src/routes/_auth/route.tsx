import { createFileRoute, Outlet } from "@tanstack/react-router";

// Signed-out pages: sign-in, registration, invitation. Each centres its own card.
export const Route = createFileRoute("/_auth")({ component: Outlet });
