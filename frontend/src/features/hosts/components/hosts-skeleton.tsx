import { Skeleton } from "@/components/ui/skeleton";
import { CARD_HEIGHT } from "./host-card";

/** The page's shape while the overview loads. */
export function HostsSkeleton() {
  return (
    <div className="flex flex-col gap-3" aria-busy="true" data-hosts-loading="">
      <div className="flex flex-wrap gap-2">
        <Skeleton className="h-9 w-64" />
        <Skeleton className="h-9 w-32" />
        <Skeleton className="h-9 w-28" />
        <Skeleton className="h-9 w-40" />
      </div>
      <div className="grid grid-cols-[repeat(auto-fill,minmax(272px,1fr))] gap-3">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="rounded-lg" style={{ height: CARD_HEIGHT }} />
        ))}
      </div>
    </div>
  );
}
