// Copying a secret or a snippet. `navigator.clipboard` exists only in secure contexts (HTTPS or
// localhost): a dashboard on plain http://server:8080 falls back to selecting the text and the
// old copy command, and when even that is refused the text stays selected for ⌘C / Ctrl+C.

export type CopyOutcome = "copied" | "selected";

function select(target: HTMLElement): void {
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
    target.focus();
    target.select();
    return;
  }
  const range = document.createRange();
  range.selectNodeContents(target);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

export async function copyText(text: string, fallbackTarget?: HTMLElement | null): Promise<CopyOutcome> {
  // Optional in the DOM typings' spirit: undefined outside secure contexts.
  const clipboard = (navigator as Partial<Navigator>).clipboard;
  if (clipboard && window.isSecureContext) {
    try {
      await clipboard.writeText(text);
      return "copied";
    } catch {
      // Refused (no permission, document not focused): fall through to selecting.
    }
  }
  if (!fallbackTarget) return "selected";
  select(fallbackTarget);
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only way to copy outside a secure context
    return document.execCommand("copy") ? "copied" : "selected";
  } catch {
    return "selected";
  }
}
