// The fetch every API client uses: adds the bearer token, refreshes once on a 401 and retries,
// and turns any non-2xx answer into an ApiError carrying the server's message. No toasts or
// redirects here: the query cache and the routes decide what the user sees.
import { ApiError, messageOf } from "./errors";
import { session } from "./session";

async function send(request: Request, token: string | undefined): Promise<Response> {
  const headers = new Headers(request.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return fetch(new Request(request, { headers, credentials: "same-origin" }));
}

export async function authedFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const first = await session.valid();
  let response: Response;
  try {
    response = await send(input, first?.token);
    if (response.status === 401 && first) {
      const renewed = await session.refresh();
      if (renewed) response = await send(retry, renewed.token);
    }
  } catch (error) {
    throw new ApiError(0, messageOf(0, null), error);
  }
  if (response.status === 401) session.clear();
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new ApiError(response.status, messageOf(response.status, body), body);
  }
  return response;
}
