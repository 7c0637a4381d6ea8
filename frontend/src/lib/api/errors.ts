/** An answer of the API that was not 2xx, with the server's own message. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: unknown;

  constructor(status: number, message: string, detail: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
  }
}

/** The message a person should read: FastAPI's `detail` string, or each field error joined. */
export function messageOf(status: number, body: unknown): string {
  if (body && typeof body === "object" && "detail" in body) {
    const detail = body.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      const parts = detail.map((item: unknown) => {
        if (item && typeof item === "object" && "msg" in item) {
          const loc = "loc" in item && Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body").join(".") : "";
          return loc ? `${loc}: ${String(item.msg)}` : String(item.msg);
        }
        return String(item);
      });
      if (parts.length > 0) return parts.join("; ");
    }
  }
  if (status === 0) return "The server could not be reached. Check your connection.";
  if (status >= 500) return `The server failed (HTTP ${status}). Try again shortly.`;
  return `Request failed (HTTP ${status}).`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
