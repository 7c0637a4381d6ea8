import { QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "@/lib/api/errors";
import { session } from "@/lib/api/session";

/** 4xx answers are final (retrying a 404 or a 422 changes nothing); network and 5xx get two more tries. */
function retry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient(onSignedOut: () => void): QueryClient {
  return new QueryClient({
    // A 401 that survived the refresh in authedFetch means the session is over: one place
    // sends the user to sign in, not every page.
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof ApiError && error.status === 401 && session.token === null) onSignedOut();
      },
    }),
    defaultOptions: {
      queries: { retry, staleTime: 15_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
