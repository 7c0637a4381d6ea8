// One WebSocket per tab to the distribution service (/ws/), shared by every page. It
// authenticates with the in-memory access token as its first message (never in the URL, which
// lands in logs), keeps the wanted subscriptions and replays them after every reconnect, and
// tells listeners when it reconnected so live queries can refetch the gap.
import { session } from "../api/session";

export type Subscription = { topic: "org" | "monitors" } | { agent_id: number };
export type LiveMessage = Record<string, unknown>;
type MessageListener = (message: LiveMessage) => void;
type StateListener = (state: SocketState) => void;
export type SocketState = "idle" | "connecting" | "open" | "closed";

const CLOSE_UNAUTHORIZED = 4401;
const MAX_BACKOFF_MS = 15_000;

function keyOf(subscription: Subscription): string {
  return "topic" in subscription ? `topic:${subscription.topic}` : `agent:${subscription.agent_id}`;
}

export class LiveSocket {
  private ws: WebSocket | null = null;
  private state: SocketState = "idle";
  private attempts = 0;
  private opened = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly wanted = new Map<string, { subscription: Subscription; count: number }>();
  private readonly messageListeners = new Set<MessageListener>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly url: () => string) {}

  get status(): SocketState {
    return this.state;
  }

  /** Keeps `subscription` while any caller holds it; returns the release function. */
  subscribe(subscription: Subscription): () => void {
    const key = keyOf(subscription);
    const entry = this.wanted.get(key);
    if (entry) entry.count += 1;
    else {
      this.wanted.set(key, { subscription, count: 1 });
      this.send({ type: "subscribe", ...subscription });
    }
    this.ensureConnected();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.wanted.get(key);
      if (!current) return;
      current.count -= 1;
      if (current.count === 0) {
        this.wanted.delete(key);
        this.send({ type: "unsubscribe", ...subscription });
      }
    };
  }

  onMessage(listener: MessageListener): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Called after a connection that replaced a lost one is authenticated and resubscribed. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /** Drops the subscription state of a stream, so the server sends a fresh snapshot. */
  resubscribe(subscription: Subscription): void {
    this.send({ type: "unsubscribe", ...subscription });
    this.send({ type: "subscribe", ...subscription });
  }

  close(): void {
    clearTimeout(this.retryTimer);
    this.wanted.clear();
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, "signed out");
    this.setState("idle");
    this.opened = false;
  }

  private ensureConnected(): void {
    if (this.ws || this.state === "connecting") return;
    void this.connect();
  }

  private async connect(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.setState("connecting");
    const token = await session.valid();
    if (!token) {
      this.setState("closed");
      return;
    }
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "auth", token: token.token }));
      for (const { subscription } of this.wanted.values()) {
        ws.send(JSON.stringify({ type: "subscribe", ...subscription }));
      }
      const wasOpenBefore = this.opened;
      this.opened = true;
      this.attempts = 0;
      this.setState("open");
      if (wasOpenBefore) for (const listener of this.reconnectListeners) listener();
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && typeof message === "object") {
        for (const listener of this.messageListeners) listener(message as LiveMessage);
      }
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setState("closed");
      if (event.code === CLOSE_UNAUTHORIZED) void session.refresh();
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.wanted.size === 0) return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) * (0.75 + Math.random() / 2);
    this.attempts += 1;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private send(message: LiveMessage): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private setState(state: SocketState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

export function liveSocketUrl(location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/`;
}

export const liveSocket = new LiveSocket(() => liveSocketUrl());
