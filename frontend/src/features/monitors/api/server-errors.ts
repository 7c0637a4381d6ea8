// The probe names the field it refuses: FastAPI's [{loc: ["body", "interval_seconds"], msg}]
// for the common settings, and "config.port: …; config.url: …" for the type's own (checked by
// probe_service/checks/<type>.py). Each lands under its field of the form (the type's settings
// are grouped by type there: config.port of a tcp monitor is tcp.port); whatever names no
// field stays one message above the buttons.
import { ApiError, errorMessage } from "@/lib/api/errors";

export interface ServerProblem {
  path: string | null;
  message: string;
}

const NAMED = /^([A-Za-z_][\w]*(?:\.[\w-]+)*): (.+)$/s;
const PYDANTIC_PREFIX = /^(Value error|Assertion failed), /;

function split(message: string): ServerProblem {
  const clean = message.replace(PYDANTIC_PREFIX, "");
  const named = NAMED.exec(clean);
  return named?.[1] && named[2] ? { path: named[1], message: named[2].replace(PYDANTIC_PREFIX, "") } : { path: null, message: clean };
}

/** Each problem of a refused request, with the field path it names (or null). */
export function serverProblems(error: unknown): ServerProblem[] {
  if (!(error instanceof ApiError)) return error ? [{ path: null, message: errorMessage(error) }] : [];
  const body = error.detail;
  const detail = body && typeof body === "object" && "detail" in body ? body.detail : undefined;
  if (Array.isArray(detail)) {
    return detail.map((item: unknown): ServerProblem => {
      if (!item || typeof item !== "object" || !("msg" in item)) return { path: null, message: String(item) };
      const loc = "loc" in item && Array.isArray(item.loc) ? item.loc.filter((part) => part !== "body").map(String) : [];
      const message = String(item.msg).replace(PYDANTIC_PREFIX, "");
      return loc.length > 0 ? { path: loc.join("."), message } : split(message);
    });
  }
  if (typeof detail === "string") return detail.split("; ").map(split);
  return [{ path: null, message: error.message }];
}

/**
 * Puts each problem on the form field it names and returns what names none, as one message.
 * `config.<name>` is the field `<type>.<name>`; `labels.env` lands on `labels`.
 */
export function applyServerErrors(
  error: unknown,
  type: string,
  fields: readonly string[],
  setError: (field: string, message: string) => void,
): string | null {
  const rest: string[] = [];
  const longestFirst = [...fields].sort((a, b) => b.length - a.length);
  for (const problem of serverProblems(error)) {
    const path = problem.path?.startsWith("config.") ? `${type}.${problem.path.slice("config.".length)}` : problem.path;
    const field = path ? longestFirst.find((name) => path === name || path.startsWith(`${name}.`)) : undefined;
    if (field) setError(field, problem.message);
    else rest.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
  }
  return rest.length > 0 ? rest.join("; ") : null;
}
