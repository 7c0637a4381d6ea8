import { type RefObject, useEffect, useState } from "react";

/**
 * Whether the element is on screen (within `rootMargin`), after it stayed there `delayMs`: rows
 * scrolled past quickly never start their requests. Turns false again when it leaves, so an
 * off-screen row stops polling.
 */
export function useOnScreen(ref: RefObject<Element | null>, { rootMargin = "100px 0px", delayMs = 150 } = {}): boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries[entries.length - 1];
        if (!entry) return;
        clearTimeout(timer);
        if (entry.isIntersecting) timer = setTimeout(() => setVisible(true), delayMs);
        else setVisible(false);
      },
      { rootMargin },
    );
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [ref, rootMargin, delayMs]);
  return visible;
}
