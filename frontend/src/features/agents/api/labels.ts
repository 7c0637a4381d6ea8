// Labels as the editor holds them (rows of key and value) and as the API takes them (an
// object), with the server's bounds (core/schemas/common.py `Labels`) and its refusals mapped
// back onto the row and field they concern.
import { ApiError } from "@/lib/api/errors";

export const LABEL_BOUNDS = { maxLabels: 32, maxKey: 64, maxValue: 256 } as const;
export const NAME_MAX = 120; // core/schemas/common.py `Name`

export interface LabelRow {
  key: string;
  value: string;
}

export function rowsOf(labels: Record<string, string>): LabelRow[] {
  return Object.entries(labels).map(([key, value]) => ({ key, value }));
}

/** Trimmed; rows left entirely blank are dropped (the editor's spare row). */
export function labelsOf(rows: readonly LabelRow[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    const value = row.value.trim();
    if (key === "" && value === "") continue;
    labels[key] = value;
  }
  return labels;
}

export type LabelIssue = "keyRequired" | "keyTooLong" | "valueTooLong" | "duplicateKey";

/** What is wrong with each row (by index), before anything is sent. */
export function rowIssues(rows: readonly LabelRow[]): { index: number; field: "key" | "value"; issue: LabelIssue }[] {
  const issues: { index: number; field: "key" | "value"; issue: LabelIssue }[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const key = row.key.trim();
    const value = row.value.trim();
    if (key === "" && value === "") return;
    if (key === "") issues.push({ index, field: "key", issue: "keyRequired" });
    else if (key.length > LABEL_BOUNDS.maxKey) issues.push({ index, field: "key", issue: "keyTooLong" });
    else if (seen.has(key)) issues.push({ index, field: "key", issue: "duplicateKey" });
    seen.add(key);
    if (value.length > LABEL_BOUNDS.maxValue) issues.push({ index, field: "value", issue: "valueTooLong" });
  });
  return issues;
}

export function labelCount(rows: readonly LabelRow[]): number {
  return Object.keys(labelsOf(rows)).length;
}

/** A field of the agent form: "name", "labels" (the whole set) or one row's key or value. */
export type FormPath = "name" | "labels" | `labels.${number}.key` | `labels.${number}.value`;

/**
 * The server's 422 as errors on the form's fields. FastAPI says where: ["body", "name"],
 * ["body", "labels"] (too many), ["body", "labels", <key>, "[key]"] (the key itself) and
 * ["body", "labels", <key>] (its value). Keys are matched to rows as `labelsOf` trimmed them;
 * what cannot be placed lands on "labels", and anything else is not a field error.
 */
export function serverFieldErrors(error: unknown, rows: readonly LabelRow[]): { path: FormPath; message: string }[] {
  if (!(error instanceof ApiError) || error.status !== 422) return [];
  const body = error.detail;
  if (!body || typeof body !== "object" || !("detail" in body) || !Array.isArray(body.detail)) return [];
  const found: { path: FormPath; message: string }[] = [];
  for (const item of body.detail as unknown[]) {
    if (!item || typeof item !== "object" || !("loc" in item) || !("msg" in item) || !Array.isArray(item.loc)) continue;
    const loc = (item.loc as unknown[]).filter((part) => part !== "body");
    const message = String(item.msg);
    if (loc[0] === "name") found.push({ path: "name", message });
    else if (loc[0] === "labels") {
      if (loc.length === 1) {
        found.push({ path: "labels", message });
        continue;
      }
      const index = rows.findIndex((row) => row.key.trim() === String(loc[1]));
      if (index === -1) found.push({ path: "labels", message: `${String(loc[1])}: ${message}` });
      else found.push({ path: loc[2] === "[key]" ? `labels.${index}.key` : `labels.${index}.value`, message });
    }
  }
  return found;
}
