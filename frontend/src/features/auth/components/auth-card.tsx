import { Activity } from "lucide-react";
import type { ReactNode } from "react";
import { useDocumentTitle } from "@/lib/use-document-title";

/** The centred card every signed-out page (sign-in, registration, invitation) sits in. */
export function AuthCard({ title, hint, children }: { title: string; hint?: ReactNode; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border bg-card p-6 shadow-sm">
        <div className="mb-6 flex items-center gap-2 text-primary">
          <Activity aria-hidden="true" className="size-6" />
          <span className="text-lg font-semibold text-foreground">StatusMonitor</span>
        </div>
        <h1 className="text-xl font-semibold">{title}</h1>
        {hint ? <p className="mt-1 text-sm text-muted-foreground">{hint}</p> : null}
        <div className="mt-6">{children}</div>
      </div>
    </main>
  );
}
