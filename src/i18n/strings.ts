/**
 * Every text the countdown and the card show. English is built in; other
 * languages are packs of their own (`strings-de.ts`), loaded the first time an
 * element speaks them, so a page pays only for its own language. `{name}`
 * marks a value filled in at runtime. Sites override any text per language
 * with `configure({ strings: { de: { reserve: 'Sichern' } } })`.
 */
import { textLookup } from './text-lookup.js';

export const en = {
  countdownLabel: 'Drop starts in',
  days: 'Days',
  hours: 'Hours',
  minutes: 'Min',
  seconds: 'Sec',
  liveNow: 'Live now',
  startsIn: 'The drop starts {in}.',
  startedAnnouncement: 'The drop is live now.',
  loading: 'Loading…',
  errorTitle: 'Something went wrong',
  retry: 'Try again',
  networkError: 'Could not reach the shop. Check your connection and try again.',
  protocolError: 'The shop sent an answer we could not read.',
  notFound: 'This drop could not be found.',
  productNotFound: 'This product is not part of the drop.',
  configError: 'This element is not set up yet.',
  size: 'Size',
  chooseSize: 'Select',
  sizeLeft: '{size}, {n} left',
  sizeNote: '{size}, {note}',
  inStock: 'In stock',
  onlyLeft: 'Only {n} left',
  soldOut: 'Sold out',
  locked: 'Unlocks {time}',
  ended: 'This drop has ended',
  reserve: 'Reserve',
  reserving: 'Reserving…',
  reserved: 'Reserved for you',
  heldFor: 'Held for {time}',
  holdHint: 'Finish checkout before the timer ends.',
  cancel: 'Release',
  checkout: 'Checkout',
  expired: 'Your hold expired',
  expiredHint: 'The item went back on sale.',
  reserveAgain: 'Reserve again',
  limitExceeded: 'You already hold the most you can buy of this item.',
  justSoldOut: 'Just sold out in this size.',
  notStarted: 'The drop has not started yet.',
  reserveFailed: 'Could not reserve. Please try again.',
  tooManyTries: 'Too many tries, wait a moment.',
};

export type Strings = typeof en;
export type StringKey = keyof Strings;

/**
 * One `configure({ strings })` override reaches every element, so no key may name two texts: the texts of the
 * player, the chat and the line check their keys with this, which compiles only when the intersection is empty.
 */
export type NoSharedKeys<T extends never> = T;

declare module '../core/config.js' {
  // `configure({ strings })` takes these texts.
  interface LiveDropTexts extends Strings {}
}

/** The built-in languages besides English, each its own chunk. */
const packs: Record<string, () => Promise<{ default: Strings }>> = {
  de: () => import('./strings-de.js'),
};

const ready: Record<string, Strings> = { en };
const pending: Record<string, Promise<unknown>> = {};

/** A text of the countdown and the card in `lang` (a BCP 47 tag); English while the language's pack loads. */
export const text = textLookup(ready);

/** The built-in strings of a base language (`de`), English for a language without a pack, undefined until its pack is loaded. */
export function builtInStrings(lang: string): Strings | undefined {
  return ready[lang] ?? (packs[lang] ? undefined : en);
}

/** Loads a base language's pack once; settles when it is there. A pack that cannot load falls back to English. */
export function loadStrings(lang: string): Promise<unknown> {
  pending[lang] ??= (packs[lang] ?? (() => Promise.resolve({ default: en })))().then(
    (pack) => (ready[lang] = pack.default),
    (error: unknown) => {
      console.warn(`[live-drop] "${lang}" texts not loaded, showing English:`, error);
      ready[lang] = en;
    },
  );
  return pending[lang];
}
