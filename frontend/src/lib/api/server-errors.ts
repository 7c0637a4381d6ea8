// The services name the field they refuse ("threshold: a percentage must be between 0 and 100",
// FastAPI's [{loc: ["body", "threshold"], msg}], "config.url: …; config.port: …"): such messages
// go under that field of the form; whatever names no field of the form stays one message above
// the buttons. Every form of every feature reads them through here.
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
 * Puts each problem on the form field it names (`fields`: the form's field paths; a problem
 * about `labels.env` lands on `labels`) and returns what names none, as one message. `rename`
 * maps the server's path to the form's where they differ (a monitor's `config.port` is the
 * form's `tcp.port`).
 */
export function applyServerErrors(
  error: unknown,
  fields: readonly string[],
  setError: (field: string, message: string) => void,
  rename: (path: string) => string = (path) => path,
): string | null {
  const rest: string[] = [];
  const longestFirst = [...fields].sort((a, b) => b.length - a.length);
  for (const problem of serverProblems(error)) {
    const path = problem.path ? rename(problem.path) : null;
    const field = path ? longestFirst.find((name) => path === name || path.startsWith(`${name}.`)) : undefined;
    if (field) setError(field, problem.message);
    else rest.push(problem.path ? `${problem.path}: ${problem.message}` : problem.message);
  }
  return rest.length > 0 ? rest.join("; ") : null;
}
