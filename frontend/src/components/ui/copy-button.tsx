import { Check, Copy } from "lucide-react";
import { type RefObject, useEffect, useRef, useState } from "react";
import { copyText, type CopyOutcome } from "@/lib/clipboard";
import { Button } from "./button";

/**
 * Copies `value`; where the browser refuses, selects the text of `fallbackRef` instead and says
 * how to copy it by hand. Labels come from the caller's messages (components have no catalogue).
 */
export function CopyButton({
  value,
  fallbackRef,
  label,
  copiedLabel,
  selectedLabel,
  size = "sm",
  variant = "outline",
  className,
}: {
  value: string;
  fallbackRef?: RefObject<HTMLElement | null>;
  label: string;
  copiedLabel: string;
  selectedLabel: string;
  size?: "sm" | "default" | "icon";
  variant?: "outline" | "default" | "secondary" | "ghost";
  className?: string;
}) {
  const [outcome, setOutcome] = useState<CopyOutcome | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const onClick = async () => {
    const result = await copyText(value, fallbackRef?.current);
    setOutcome(result);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setOutcome(null), result === "copied" ? 2000 : 6000);
  };
  const text = outcome === "copied" ? copiedLabel : outcome === "selected" ? selectedLabel : label;
  return (
    <Button type="button" size={size} variant={variant} className={className} onClick={() => void onClick()}>
      {outcome === "copied" ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
      <span aria-live="polite">{text}</span>
    </Button>
  );
}
