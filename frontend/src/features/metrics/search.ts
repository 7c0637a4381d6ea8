// The host page's search params. Route files import this (through index.ts) to validate the
// URL, so it must stay tiny and import nothing heavy: it lands in the first bundle.
import { compact, oneOf, optionalBoolean, optionalNumber, optionalString } from "@/lib/search";
import { RANGES } from "./model/range";

const MAX_UNIX_SECONDS = 253402300799; // 9999-12-31, the history API's limit

export function validateHostSearch(raw: Record<string, unknown>) {
  return compact({
    range: oneOf(raw.range, RANGES),
    from: optionalNumber(raw.from, 0, MAX_UNIX_SECONDS),
    to: optionalNumber(raw.to, 0, MAX_UNIX_SECONDS),
    cores: optionalBoolean(raw.cores),
    metric: optionalString(raw.metric, 200),
  });
}

export type HostSearch = ReturnType<typeof validateHostSearch>;
