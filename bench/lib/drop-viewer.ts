/**
 * What a viewer knows about a drop, built only from its event stream the way
 * the elements' store builds it: stock per variant and the featured product,
 * plus the record the fault tests and the fan-out benchmark check.
 */
import type { Agent } from 'node:http';
import { routes, joinUrl } from '../../src/protocol/routes.js';
import type { Drop, DropEventMap, FeaturedProduct } from '../../src/protocol/types.js';
import { SseClient, type SseMessage } from './sse-client.js';

export const variantKey = (productId: string, variantId: string) => `${productId}/${variantId}`;

export interface DropViewerOptions {
  backend: string;
  dropId: string;
  agent: Agent;
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** The viewer's source address (a loopback one from test/support/loopback.ts). */
  localAddress?: string;
  /** Called after each stock event with the levels it carried. */
  onStock?: (levels: DropEventMap['stock']['levels'], receivedAt: number) => void;
}

export class DropViewer {
  readonly stock = new Map<string, number>();
  featured: string | null = null;
  /** Every featuring the viewer learnt of, as `productId@at`: from `featured` events and from snapshots' history. */
  readonly featuredSeen = new Set<string>();
  snapshots = 0;
  /** Set once the first snapshot arrived. */
  readonly ready: Promise<void>;
  readonly client: SseClient;

  constructor(o: DropViewerOptions) {
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    this.client = new SseClient({
      url: joinUrl(o.backend, routes.events(o.dropId)),
      agent: o.agent,
      reconnectMs: o.reconnectMs,
      maxReconnectMs: o.maxReconnectMs,
      localAddress: o.localAddress,
      onEvent: (m: SseMessage, at: number) => {
        this.apply(m, at, o);
        if (m.type === 'snapshot') markReady();
      },
    });
  }

  connect(): this {
    this.client.connect();
    return this;
  }

  close(): void {
    this.client.close();
  }

  private apply(m: SseMessage, at: number, o: DropViewerOptions): void {
    if (m.type === 'snapshot') {
      const drop = JSON.parse(m.data) as Drop;
      this.snapshots++;
      this.stock.clear();
      for (const p of drop.products) for (const v of p.variants) this.stock.set(variantKey(p.id, v.id), v.available);
      this.featured = drop.featured?.productId ?? null;
      for (const f of drop.featuredHistory) this.featuredSeen.add(featuredKey(f));
    } else if (m.type === 'stock') {
      const { levels } = JSON.parse(m.data) as DropEventMap['stock'];
      for (const l of levels) this.stock.set(variantKey(l.productId, l.variantId), l.available);
      o.onStock?.(levels, at);
    } else if (m.type === 'featured') {
      const f = JSON.parse(m.data) as DropEventMap['featured'];
      this.featured = f.productId;
      if (f.productId !== null) this.featuredSeen.add(featuredKey({ productId: f.productId, at: f.at }));
    }
  }
}

export const featuredKey = (f: FeaturedProduct) => `${f.productId}@${f.at}`;
