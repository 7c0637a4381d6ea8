// The signed-in session of this tab. The access token lives only in memory; the refresh
// token only in the httpOnly cookie the auth service sets, so script on the page can never
// read it. A reload restores the session by POST /api/auth/refresh with no body.
import { SERVICE_ROOTS } from "./schema/roots";

export interface AccessToken {
  token: string;
  expiresAt: number; // ms since the epoch
}

type Listener = (token: AccessToken | null) => void;

const REFRESH_PATH = `${SERVICE_ROOTS.auth}/refresh`;

class Session {
  private current: AccessToken | null = null;
  // After a refresh was refused, calls go out without a token until the next sign-in instead
  // of asking again each time (a signed-out visitor on the sign-in page).
  private signedOut = false;
  private pending: Promise<AccessToken | null> | null = null;
  private readonly listeners = new Set<Listener>();

  get token(): AccessToken | null {
    return this.current;
  }

  /** Stores the access token of a login, refresh or organization switch. */
  accept(answer: { access_token: string; expires_in: number }): AccessToken {
    this.current = { token: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
    this.signedOut = false;
    this.emit();
    return this.current;
  }

  clear(): void {
    this.signedOut = true;
    if (this.current === null) return;
    this.current = null;
    this.emit();
  }

  /** A token valid for at least `marginMs` more, refreshing by cookie when needed. */
  async valid(marginMs = 30_000): Promise<AccessToken | null> {
    if (this.current && this.current.expiresAt - Date.now() > marginMs) return this.current;
    if (this.current === null && this.signedOut) return null;
    return this.refresh();
  }

  /** One refresh at a time: concurrent callers share it (the cookie rotates on each use). */
  refresh(): Promise<AccessToken | null> {
    this.pending ??= this.refreshOnce().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async refreshOnce(): Promise<AccessToken | null> {
    try {
      const response = await fetch(REFRESH_PATH, { method: "POST", credentials: "same-origin" });
      if (!response.ok) {
        this.clear();
        return null;
      }
      return this.accept((await response.json()) as { access_token: string; expires_in: number });
    } catch {
      // Offline: keep what we have; the next call tries again.
      return this.current;
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.current);
  }
}

export const session = new Session();
