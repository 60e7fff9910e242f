/**
 * The player's own texts, in English and German. Sites override them like
 * the core's, per language: `configure({ strings: { de: { unmute: 'Ton an' } } })`.
 */
import { textLookup } from './text-lookup.js';
import type { NoSharedKeys, StringKey } from './strings.js';

export const playerEn = {
  playerLabel: 'Live show: {title}',
  play: 'Play',
  pause: 'Pause',
  mute: 'Mute',
  unmute: 'Unmute',
  tapToUnmute: 'Tap to unmute',
  volume: 'Volume',
  seek: 'Seek',
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  pip: 'Picture in picture',
  captions: 'Captions',
  live: 'Live',
  goLive: 'Go live',
  behindLive: 'Behind live. Jump to live',
  viewers: '{n} watching',
  react: 'Send a heart',
  scheduled: 'The show starts soon',
  offline: 'Stream offline',
  reconnecting: 'Reconnecting…',
  reconnectingIn: 'Trying again in {s} s',
  unsupported: 'This browser cannot play the live stream.',
  noStream: 'The stream is not available yet.',
  showEnded: 'The show has ended',
  watchReplay: 'Watch the replay',
  noReplay: 'There is no recording of this show.',
  shownProducts: 'Products in this show',
  jumpTo: 'Watch {title} at {time}',
  featuredNow: 'Featured now',
};

export type PlayerStrings = typeof playerEn;
export type PlayerStringKey = keyof PlayerStrings;

declare module '../core/config.js' {
  // `configure({ strings })` takes the player's texts too.
  interface LiveDropTexts extends PlayerStrings {}
}

// One `configure({ strings })` override reaches every element: see NoSharedKeys.
export type PlayerKeysDistinct = NoSharedKeys<PlayerStringKey & StringKey>;

export const playerDe: typeof playerEn = {
  playerLabel: 'Live-Show: {title}',
  play: 'Abspielen',
  pause: 'Pause',
  mute: 'Stumm schalten',
  unmute: 'Ton einschalten',
  tapToUnmute: 'Tippen für Ton',
  volume: 'Lautstärke',
  seek: 'Position',
  fullscreen: 'Vollbild',
  exitFullscreen: 'Vollbild beenden',
  pip: 'Bild im Bild',
  captions: 'Untertitel',
  live: 'Live',
  goLive: 'Zum Live-Bild',
  behindLive: 'Hinter live. Zu live springen',
  viewers: '{n} schauen zu',
  react: 'Ein Herz senden',
  scheduled: 'Die Show beginnt bald',
  offline: 'Stream offline',
  reconnecting: 'Verbinde neu…',
  reconnectingIn: 'Neuer Versuch in {s} s',
  unsupported: 'Dieser Browser kann den Livestream nicht abspielen.',
  noStream: 'Der Stream ist noch nicht verfügbar.',
  showEnded: 'Die Show ist vorbei',
  watchReplay: 'Aufzeichnung ansehen',
  noReplay: 'Von dieser Show gibt es keine Aufzeichnung.',
  shownProducts: 'Produkte in dieser Show',
  jumpTo: '{title} bei {time} ansehen',
  featuredNow: 'Jetzt vorgestellt',
};

/** A player text in `lang` (a BCP 47 tag), with the site's overrides and `{name}` placeholders filled in. */
export const playerText = textLookup({ en: playerEn, de: playerDe });
