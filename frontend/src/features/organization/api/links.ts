/** The link the invited person opens: the dashboard's invitation page with the token. */
export function invitationLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, "")}/invitation?${new URLSearchParams({ token }).toString()}`;
}
