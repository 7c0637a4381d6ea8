import type { Row } from "@tanstack/react-table";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { Host } from "../api/queries";
import { useListGeometry } from "../hooks/use-list-geometry";
import { CARD_HEIGHT, HostCard } from "./host-card";

const MIN_CARD_WIDTH = 272;
const GAP = 12;

export function columnsFor(width: number): number {
  return Math.max(1, Math.floor((width + GAP) / (MIN_CARD_WIDTH + GAP)));
}

/** The cards, a virtualised row of them at a time: only what is near the viewport is mounted. */
export function HostGrid({ rows }: { rows: Row<Host>[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { top, width } = useListGeometry(ref);
  const columns = columnsFor(width);
  const virtualizer = useWindowVirtualizer({
    count: Math.ceil(rows.length / columns),
    estimateSize: () => CARD_HEIGHT + GAP,
    overscan: 2,
    scrollMargin: top,
    useFlushSync: false, // scrolling renders with React's batching, not inside the scroll event
  });
  return (
    <div ref={ref} data-hosts-grid="" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
      {virtualizer.getVirtualItems().map((item) => (
        <div
          key={item.key}
          className="absolute top-0 left-0 grid w-full"
          style={{
            transform: `translateY(${item.start - top}px)`,
            gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
            gap: GAP,
          }}
        >
          {rows.slice(item.index * columns, item.index * columns + columns).map((row) => (
            <HostCard key={row.id} host={row.original} />
          ))}
        </div>
      ))}
    </div>
  );
}
