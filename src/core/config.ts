/**
 * Page-wide defaults. An element's own attributes win; then whatever the site
 * set with `configure()` or the script tag's `data-backend` (see
 * `live-drop.ts`); then a clear error that says what to set.
 */
import { isServer } from 'lit';
import { atom } from 'nanostores';

/**
 * Every text an element shows, by key. Empty here, as the configuration imports nothing from the
 * texts: `src/i18n/strings.ts` and `player-strings.ts` add their keys to it (declaration merging).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging, as said above
export interface LiveDropTexts {}

export interface LiveDropConfig {
  /** Backend URL, e.g. `https://drops.example.com` (may carry a path prefix). */
  backend?: string;
  /** Language for every element without a `lang` of its own (`en`, `de`). */
  lang?: string;
  /** Preferred ISO 4217 currency when the drop sells in several. */
  currency?: string;
  /** Text overrides by language, for any element's text: `{ en: { reserve: 'Hold it', unmute: 'Sound on' } }`. */
  strings?: Record<string, Partial<LiveDropTexts>>;
  /** Join a drop's waiting line by itself, without the shopper pressing "Join the line" (the site decides; default false). */
  lineAutoJoin?: boolean;
}

export const $config = atom<LiveDropConfig>({});

/** Sets page-wide defaults; later calls merge over earlier ones. */
export function configure(config: LiveDropConfig): void {
  const prev = $config.get();
  const strings = { ...prev.strings };
  for (const [lang, s] of Object.entries(config.strings ?? {})) strings[lang] = { ...strings[lang], ...s };
  $config.set({ ...prev, ...config, strings });
}

export type BackendResolution = { backend: string; error?: undefined } | { backend?: undefined; error: string };

/**
 * The backend URL an element should talk to, normalised without a trailing
 * slash, or a sentence for the console and the error state saying what to set.
 */
export function resolveBackend(attribute: string | null | undefined, tag: string): BackendResolution {
  const raw = attribute?.trim() || $config.get().backend?.trim();
  if (!raw)
    return {
      error: `<${tag}> has no backend URL. Set its backend="https://…" attribute, data-backend on the live-drop script tag, or call configure({ backend }).`,
    };
  let url: URL | undefined;
  try {
    url = new URL(raw, isServer ? undefined : document.baseURI); // no document on a server: absolute URLs only
  } catch {
    // not a URL at all: the same advice as for a wrong scheme
  }
  return url && /^https?:$/.test(url.protocol)
    ? { backend: url.href.replace(/\/+$/, '') }
    : { error: `<${tag}> backend "${raw}" is not an http or https URL such as https://drops.example.com.` };
}

/** Resolves a URL from the drop (may be relative to the backend, e.g. `media/hoodie.svg`). */
export function backendUrl(backend: string, path: string): string {
  return new URL(path, backend.replace(/\/?$/, '/')).href;
}
