// One typed client per service, generated from its OpenAPI schema (`npm run gen:api`).
// Paths are the service's own; the base URL is where the gateway mounts it.
import createClient, { type Client } from "openapi-fetch";
import { authedFetch } from "./http";
import type { paths as AlertPaths } from "./schema/alert";
import type { paths as AuthPaths } from "./schema/auth";
import type { paths as HistoryPaths } from "./schema/history";
import type { paths as ProbePaths } from "./schema/probe";
import { SERVICE_ROOTS } from "./schema/roots";

function client<P extends object>(baseUrl: string): Client<P> {
  return createClient<P>({ baseUrl, fetch: authedFetch });
}

export const authApi = client<AuthPaths>(SERVICE_ROOTS.auth);
export const historyApi = client<HistoryPaths>(SERVICE_ROOTS.history);
export const alertsApi = client<AlertPaths>(SERVICE_ROOTS.alert);
export const probesApi = client<ProbePaths>(SERVICE_ROOTS.probe);

/** Unwraps an openapi-fetch answer; errors were already thrown by authedFetch. */
export function data<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    // 204 No Content and the like: the callers of such endpoints expect nothing.
    return undefined as T;
  }
  return result.data;
}

export type { AlertPaths, AuthPaths, HistoryPaths, ProbePaths };
export type { components as AuthSchemas } from "./schema/auth";
export type { components as AlertSchemas } from "./schema/alert";
export type { components as HistorySchemas } from "./schema/history";
export type { components as ProbeSchemas } from "./schema/probe";
