import { useEffect, useRef } from "react";
import { hostKeyAction } from "../model/neighbours";

/** ←/→ and h/l anywhere on the page (but in fields and arrow-key widgets) call back. */
export function useHostKeys(onMove: (direction: "previous" | "next") => void): void {
  const callback = useRef(onMove);
  useEffect(() => {
    callback.current = onMove;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof HTMLElement ? event.target : null;
      const action = hostKeyAction({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        repeat: event.repeat,
        defaultPrevented: event.defaultPrevented,
        target: target ? { tagName: target.tagName, isContentEditable: target.isContentEditable, role: target.getAttribute("role") } : null,
      });
      // Not while a dialog (the ⌘K palette, a popover) is open over the page.
      if (!action || document.querySelector("[role=dialog]")) return;
      event.preventDefault();
      callback.current(action);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
