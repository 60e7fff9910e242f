/**
 * Records every EventSource the page opens (URL and instance) by wrapping
 * the constructor; `restore()` puts the real one back. Used to count streams
 * and to inject a malformed message into a real connection.
 */
export interface EventSourceSpy {
  opened: EventSource[];
  urls(): string[];
  restore(): void;
}

export function spyOnEventSource(): EventSourceSpy {
  const Real = window.EventSource;
  const opened: EventSource[] = [];
  window.EventSource = class extends Real {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      opened.push(this);
    }
  };
  return { opened, urls: () => opened.map((es) => es.url), restore: () => (window.EventSource = Real) };
}
