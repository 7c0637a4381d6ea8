// Many components asking one by one, one request for all of them: keys asked for within
// `waitMs` of each other are loaded together (at most `max` a request). The list's rows use
// it for their heartbeats (GET /monitors/heartbeats?ids=…), one request per screenful.

export interface BatchOptions {
  waitMs?: number;
  max?: number;
}

type Waiting<V> = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void };

/** `load(keys)` answers for the keys it can; the returned function asks for one key. */
export function batched<K, V>(load: (keys: K[]) => Promise<Map<K, V>>, { waitMs = 10, max = 100 }: BatchOptions = {}): (key: K) => Promise<V | undefined> {
  let pending = new Map<K, Waiting<V>[]>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function send(keys: K[], waiting: Map<K, Waiting<V>[]>): Promise<void> {
    try {
      const found = await load(keys);
      for (const key of keys) for (const waiter of waiting.get(key) ?? []) waiter.resolve(found.get(key));
    } catch (error) {
      for (const key of keys) for (const waiter of waiting.get(key) ?? []) waiter.reject(error);
    }
  }

  function flush(): void {
    const waiting = pending;
    pending = new Map();
    timer = null;
    const keys = [...waiting.keys()];
    for (let i = 0; i < keys.length; i += max) void send(keys.slice(i, i + max), waiting);
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiters = pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      pending.set(key, waiters);
      timer ??= setTimeout(flush, waitMs);
    });
}
