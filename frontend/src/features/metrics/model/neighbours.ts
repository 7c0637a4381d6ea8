// ←/→ and h/l on the host page: the previous and next host in the overview's order (by name).

export function neighbours<T extends { id: number }>(hosts: readonly T[], agentId: number): { previous: T | null; next: T | null; position: number } {
  const index = hosts.findIndex((host) => host.id === agentId);
  if (index < 0) return { previous: null, next: null, position: -1 };
  return { previous: hosts[index - 1] ?? null, next: hosts[index + 1] ?? null, position: index };
}

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat?: boolean;
  defaultPrevented?: boolean;
  /** the focused element: tag name, contentEditable and ARIA role */
  target: { tagName?: string; isContentEditable?: boolean; role?: string | null } | null;
}

const TEXT_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT"]);
// Widgets where the arrows already mean something (tabs, radios, sliders, menus, lists).
const ARROW_ROLES = new Set([
  "tab",
  "radio",
  "slider",
  "menuitem",
  "menuitemradio",
  "menuitemcheckbox",
  "option",
  "combobox",
  "listbox",
  "spinbutton",
  "gridcell",
  "treeitem",
]);

/** Which way a key press moves, or null when it is typing, a shortcut or a widget's own arrow. */
export function hostKeyAction(event: KeyInput): "previous" | "next" | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.defaultPrevented) return null;
  const target = event.target;
  if (target) {
    if (target.isContentEditable || (target.tagName && TEXT_TAGS.has(target.tagName.toUpperCase()))) return null;
    if (target.role && ARROW_ROLES.has(target.role)) return null;
  }
  if (event.key === "ArrowLeft" || event.key === "h") return "previous";
  if (event.key === "ArrowRight" || event.key === "l") return "next";
  return null;
}
