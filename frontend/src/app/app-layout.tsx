import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type ReactNode, useEffect, useState } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { CommandPalette } from "@/components/layout/command-palette";
import { PendingInvitations, UserMenu } from "@/features/auth";
import { session } from "@/lib/api/session";
import { usePaletteGroups } from "./palette";
import { LIVE_HANDLERS } from "./live-handlers";
import { connectRealtime } from "./realtime";

export function AppLayout({ children }: { children: ReactNode }) {
  const [paletteOpen, setPaletteOpen] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const groups = usePaletteGroups();

  useEffect(() => connectRealtime(queryClient, LIVE_HANDLERS), [queryClient]);
  // Signed out in another tab, or the session ended: back to sign-in.
  useEffect(
    () =>
      session.subscribe((token) => {
        if (token === null) void navigate({ to: "/login" });
      }),
    [navigate],
  );
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setPaletteOpen((open) => !open);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <AppShell
      userMenu={<UserMenu />}
      onSearch={() => setPaletteOpen(true)}
      banner={
        <div className="empty:hidden px-4 pt-4 sm:px-6">
          <PendingInvitations />
        </div>
      }
    >
      {children}
      <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} groups={groups} />
    </AppShell>
  );
}
