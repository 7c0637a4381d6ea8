import { Skeleton } from "@/components/ui/skeleton";

/** While a page's data loads: the page's shape, not a spinner. */
export function RoutePending() {
  return (
    <div className="grid gap-4 p-4 sm:p-6" aria-busy="true">
      <Skeleton className="h-8 w-48" />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} className="h-32" />
        ))}
      </div>
    </div>
  );
}
