/**
 * Localisation for an element: its language is its own `lang`, else the
 * closest ancestor's (across shadow roots), else `configure({ lang })`, else
 * the document's, else the browser's. Text comes from the built-in strings
 * merged with the site's overrides; numbers and dates go through `Intl`.
 */
import { isServer, type ReactiveController, type ReactiveElement } from 'lit';
import { $config, type LiveDropTexts } from '../core/config.js';
import type { Money } from '../protocol/types.js';
import { formatDateTime, formatMoney, formatRelative, localeCurrency, pickPrice } from './format.js';
import { builtInStrings, loadStrings, text } from './strings.js';
import { baseLanguage, type TextLookup, type TextParams } from './text-lookup.js';

function closestLang(el: Element): string | undefined {
  for (let node: Element | null = el; node;) {
    if (node === document.documentElement) return undefined;
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  return undefined;
}

export function resolveLang(el: Element): string {
  // Server rendering (@lit-labs/ssr) has no document: the element's own lang, the configured one, or English.
  if (isServer) return el.getAttribute('lang') || $config.get().lang || 'en';
  return closestLang(el) || $config.get().lang || document.documentElement.lang || navigator.language || 'en';
}

export class LocaleController implements ReactiveController {
  #unsubscribe: (() => void) | undefined;
  #observer: MutationObserver | undefined;

  constructor(private readonly host: ReactiveElement) {
    host.addController(this);
  }

  hostConnected() {
    this.#unsubscribe = $config.listen(() => this.host.requestUpdate());
    // The page may switch language at runtime (a language menu sets <html lang>).
    this.#observer = new MutationObserver(() => this.host.requestUpdate());
    this.#observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected() {
    this.#unsubscribe?.();
    this.#observer?.disconnect();
  }

  /** The BCP 47 language tag in effect, e.g. `de-DE`. */
  get lang(): string {
    const lang = resolveLang(this.host);
    try {
      return Intl.getCanonicalLocales(lang)[0] ?? 'en';
    } catch {
      return 'en';
    }
  }

  /** False while the element's language pack is still loading (elements show their loading state); the host re-renders once it is in. */
  get ready(): boolean {
    const base = baseLanguage(this.lang);
    if (builtInStrings(base)) return true;
    void loadStrings(base).then(() => this.host.requestUpdate());
    return false;
  }

  /** The texts of one lookup (`chatText`, …) in the element's language, as `t` has the card's and the countdown's. */
  texts<Key extends keyof LiveDropTexts>(lookup: TextLookup<Key>) {
    return (key: Key, params?: TextParams): string => lookup(this.lang, key, params);
  }

  /** A text of the card and the countdown in the element's language with `{name}` placeholders filled in (bound: `const { t } = locale` works). */
  t = this.texts(text);

  /** The price in the element's currency, the configured one, the locale's usual one, else the default. */
  price(prices: Money[], currencyAttribute?: string | null): string {
    const lang = this.lang;
    return formatMoney(pickPrice(prices, [currencyAttribute ?? undefined, $config.get().currency, localeCurrency(lang)]), lang);
  }

  dateTime(ms: number, now: number): string {
    return formatDateTime(ms, this.lang, now);
  }

  relative(ms: number): string {
    return formatRelative(ms, this.lang);
  }
}
