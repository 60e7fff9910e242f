/**
 * What a live start needs before hls.js can ask for it: the playlists, the
 * initialisation section and the first part, fetched the moment the player
 * knows its stream, in parallel with the download and start-up of hls.js
 * (a 600 kB chunk). hls.js then gets them through its own loader
 * (`prefetchLoader`) instead of fetching them one after the other once it
 * runs; each answer serves one request, anything else goes to the network.
 *
 * It also picks where a low-latency live stream starts: at the newest
 * independent part (a key frame) at least PART-HOLD-BACK behind the live
 * edge. hls.js on its own starts exactly PART-HOLD-BACK behind the edge,
 * which is mostly in the middle of a group of pictures, and the browser
 * then decodes from the previous key frame before it shows anything.
 *
 * Only what hls.js needs to start is read from the playlists (RFC 8216bis
 * tags: EXT-X-STREAM-INF, EXT-X-MAP, EXTINF, EXT-X-PART, EXT-X-SERVER-CONTROL);
 * anything unexpected leaves the start to hls.js.
 */
import type { HlsConfig, Loader, LoaderContext, LoaderStats } from 'hls.js';

interface Prefetched {
  data: string | ArrayBuffer;
  /** performance.now() when the request went out, the answer began, and it ended. */
  start: number;
  first: number;
  end: number;
}

/** How long a live start waits for the prefetched playlists before leaving everything to hls.js. */
const WAIT_MS = 3000;

export class HlsPrefetch {
  readonly #answers = new Map<string, Promise<Prefetched>>();
  readonly #abort = new AbortController();
  /** Where hls.js should start (media time of its timeline: 0 at the first segment listed), or undefined: its own choice. */
  readonly startPosition: Promise<number | undefined>;

  constructor(url: string) {
    const chain = this.#run(url).catch(() => undefined);
    this.startPosition = Promise.race([chain, new Promise<undefined>((resolve) => setTimeout(resolve, WAIT_MS))]);
  }

  /** The prefetched answer for `url` (once), or undefined. */
  take(url: string, type: 'text' | 'arraybuffer'): Promise<Prefetched> | undefined {
    const answer = this.#answers.get(`${type} ${url}`);
    this.#answers.delete(`${type} ${url}`);
    return answer;
  }

  /** Stops what is still loading and forgets the rest. */
  destroy(): void {
    this.#abort.abort();
    this.#answers.clear();
  }

  #get(url: string, type: 'text' | 'arraybuffer'): Promise<Prefetched> {
    const start = performance.now();
    const answer = fetch(url, { signal: this.#abort.signal }).then(async (res) => {
      if (!res.ok) throw new Error(`${res.status}`);
      const first = performance.now();
      const data = type === 'text' ? await res.text() : await res.arrayBuffer();
      return { data, start, first, end: performance.now() };
    });
    // A failed prefetch is no answer: hls.js then asks the network itself and handles the error.
    answer.catch(() => this.#answers.delete(`${type} ${url}`));
    this.#answers.set(`${type} ${url}`, answer);
    return answer;
  }

  async #run(url: string): Promise<number | undefined> {
    let media = (await this.#get(url, 'text')).data as string;
    let mediaUrl = url;
    // A multivariant playlist: hls.js starts with the first variant (its default start level).
    const variant = /#EXT-X-STREAM-INF:[^\n]*\n(?:#[^\n]*\n|\s*\n)*([^#\s][^\n]*)/.exec(media)?.[1].trim();
    if (variant) {
      mediaUrl = new URL(variant, url).href;
      media = (await this.#get(mediaUrl, 'text')).data as string;
    }
    const map = /#EXT-X-MAP:URI="([^"]+)"(?![^\n]*BYTERANGE)/.exec(media)?.[1];
    if (map) void this.#get(new URL(map, mediaUrl).href, 'arraybuffer').catch(() => undefined);
    const start = liveStart(media);
    if (start) void this.#get(new URL(start.uri, mediaUrl).href, 'arraybuffer').catch(() => undefined);
    return start?.time;
  }
}

/**
 * The newest independent part at least PART-HOLD-BACK (3 part targets when not given) before the end of a
 * low-latency live playlist, with its start on hls.js's timeline (0 at the first segment listed); undefined for
 * a playlist without parts, a finished one, or parts given as byte ranges.
 */
export function liveStart(playlist: string): { time: number; uri: string } | undefined {
  if (/#EXT-X-ENDLIST/.test(playlist) || /#EXT-X-PART:[^\n]*BYTERANGE/.test(playlist)) return undefined;
  const partTarget = Number(/#EXT-X-PART-INF:[^\n]*PART-TARGET=([\d.]+)/.exec(playlist)?.[1] ?? NaN);
  const holdBack = Number(/#EXT-X-SERVER-CONTROL:[^\n]*PART-HOLD-BACK=([\d.]+)/.exec(playlist)?.[1] ?? 3 * partTarget);
  if (!(holdBack > 0)) return undefined;
  const independent: { time: number; uri: string }[] = [];
  let segmentStart = 0;
  let duration = 0;
  let partTime = 0;
  for (const line of playlist.split('\n').map((l) => l.trim())) {
    if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
    else if (line.startsWith('#EXT-X-PART:')) {
      const uri = /URI="([^"]+)"/.exec(line)?.[1];
      const part = Number(/DURATION=([\d.]+)/.exec(line)?.[1]);
      if (!uri || !(part > 0)) return undefined;
      if (/INDEPENDENT=YES/.test(line)) independent.push({ time: partTime, uri });
      partTime += part;
    } else if (line && !line.startsWith('#')) {
      segmentStart += duration;
      partTime = segmentStart;
    }
  }
  const edge = Math.max(segmentStart, partTime);
  return independent.findLast((p) => edge - p.time >= holdBack - 0.001);
}

type LoaderClass = new (config: HlsConfig) => Loader<LoaderContext>;

/** hls.js's default loader, answering from `prefetch` where it holds the answer. */
export function prefetchLoader(Base: LoaderClass, prefetch: HlsPrefetch): LoaderClass {
  // hls.js's XhrLoader: `load()` sets context, config and callbacks, then calls `loadInternal()` (also on a retry).
  const Xhr = Base as unknown as new (config: HlsConfig) => Loader<LoaderContext> & {
    loadInternal(): void;
    callbacks: { onSuccess: (...args: unknown[]) => void } | null;
    stats: LoaderStats;
  };
  return class PrefetchLoader extends Xhr {
    override loadInternal(): void {
      const context = this.context;
      const answer = context && !context.rangeEnd ? prefetch.take(context.url, context.responseType as 'text' | 'arraybuffer') : undefined;
      if (!context || !answer) return super.loadInternal();
      answer.then(
        ({ data, start, first, end }) => {
          const { stats, callbacks } = this;
          // Aborted or destroyed meanwhile.
          if (this.context !== context || !callbacks || stats.aborted) return;
          // The real times: hls.js estimates bandwidth from them and a playlist's age (for its next blocking reload).
          Object.assign(stats.loading, { start, first, end });
          stats.loaded = stats.total = typeof data === 'string' ? data.length : data.byteLength;
          callbacks.onSuccess({ url: context.url, data, code: 200 }, stats, context, null);
        },
        () => this.context === context && super.loadInternal(),
      );
    }
  };
}
