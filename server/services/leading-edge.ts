/**
 * Publication on the leading edge, per key (a drop): the first change after a
 * quiet window is published at once; changes during the window that follows
 * are published together when it closes. So a burst costs at most one
 * publication per window, and a lone change waits for nothing. Publications
 * of one key run one after the other.
 */
export interface LeadingEdge {
  changed(key: string): void;
  /** Publishes whatever is waiting now and waits for every publication under way. */
  flush(): Promise<void>;
  /** Flushes, then stops the timers. */
  close(): Promise<void>;
}

interface Window {
  timer: NodeJS.Timeout | null;
  /** A change arrived during the window: publish when it closes. */
  dirty: boolean;
  chain: Promise<void>;
}

export function leadingEdge(windowMs: number, publish: (key: string) => Promise<unknown>, what: string): LeadingEdge {
  const windows = new Map<string, Window>();

  function publishNow(key: string, w: Window) {
    w.dirty = false;
    w.timer = setTimeout(() => {
      w.timer = null;
      if (w.dirty) publishNow(key, w);
      else w.chain.then(() => !w.timer && !w.dirty && windows.get(key) === w && windows.delete(key));
    }, windowMs);
    w.chain = w.chain.then(() =>
      publish(key).then(
        () => {},
        (error) => console.error(`${what} ${key}: ${(error as Error).message}`),
      ),
    );
  }

  async function flush() {
    for (const [key, w] of windows) {
      if (w.dirty) {
        if (w.timer) clearTimeout(w.timer);
        publishNow(key, w);
      }
    }
    await Promise.all([...windows.values()].map((w) => w.chain));
  }

  return {
    changed(key) {
      let w = windows.get(key);
      if (!w) windows.set(key, (w = { timer: null, dirty: false, chain: Promise.resolve() }));
      if (w.timer) w.dirty = true;
      else publishNow(key, w);
    },
    flush,
    async close() {
      await flush();
      for (const w of windows.values()) if (w.timer) clearTimeout(w.timer);
      windows.clear();
    },
  };
}
