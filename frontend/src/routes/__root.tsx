import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, Link, Outlet } from "@tanstack/react-router";
import { RouteError } from "@/components/errors/route-error";
import { EmptyState } from "@/components/layout/page";
import { createTranslator } from "@/lib/i18n";

const t = createTranslator({ en: { notFound: "Page not found", notFoundHint: "The address may be mistyped, or the page moved.", home: "Go to the hosts" } });

export interface RouterContext {
  queryClient: QueryClient;
}

export const Route = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  errorComponent: RouteError,
  notFoundComponent: NotFound,
});

function NotFound() {
  return (
    <div className="p-6">
      <EmptyState
        title={t("notFound")}
        description={t("notFoundHint")}
        action={
          <Link to="/hosts" className="text-primary underline-offset-4 hover:underline">
            {t("home")}
          </Link>
        }
      />
    </div>
  );
}
