import { type RefObject, useLayoutEffect, useState } from "react";

export interface ListGeometry {
  /** Distance from the top of the document: the window virtualizer's scroll margin. */
  top: number;
  width: number;
}

/** Where a window-scrolled list starts and how wide it is, kept current on resizes. */
export function useListGeometry(ref: RefObject<HTMLElement | null>): ListGeometry {
  const [geometry, setGeometry] = useState<ListGeometry>({ top: 0, width: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const box = element.getBoundingClientRect();
      const next = { top: Math.round(box.top + window.scrollY), width: Math.round(box.width) };
      setGeometry((current) => (current.top === next.top && current.width === next.width ? current : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.parentElement) observer.observe(element.parentElement);
    return () => observer.disconnect();
  }, [ref]);
  return geometry;
}
