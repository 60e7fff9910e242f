/**
 * The waiting line's texts, in English and German (they ride in the line's
 * lazy chunk). Sites override them like every other text:
 * `configure({ strings: { de: { lineJoin: 'Anstellen' } } })`.
 */
import { textLookup } from './text-lookup.js';
import type { PlayerStringKey } from './player-strings.js';
import type { NoSharedKeys, StringKey } from './strings.js';

export const lineEn = {
  lineTitle: 'Waiting line',
  lineJoin: 'Join the line',
  lineJoining: 'Joining…',
  lineOpensAt: 'The line opens {time}.',
  lineFair: 'Everyone who joins by the start gets a random place: joining early gives no advantage.',
  lineAfterDraw: 'The places were drawn at the start. If you join now, you queue behind them, in order of arrival.',
  lineJoined: "You're in the line. Places are drawn at random at the start.",
  lineDrawing: 'Drawing places…',
  linePlace: 'Place {n} of {total}',
  lineAhead: '{n} ahead of you, about {time}',
  lineAheadPaused: '{n} ahead of you. Admission is paused.',
  lineLate: 'You joined after the draw, so you are behind everyone who joined on time.',
  lineTurn: "It's your turn! Reserve within {time}.",
  lineMissed: 'You missed your turn.',
  lineCommitment: 'Draw commitment {hash}',
  lineSeed: 'Seed revealed: check the draw with verify-draw.',
  lineError: 'The waiting line could not be reached.',
};

export type LineStrings = typeof lineEn;
export type LineStringKey = keyof LineStrings;

declare module '../core/config.js' {
  // `configure({ strings })` takes the line's texts too.
  interface LiveDropTexts extends LineStrings {}
}

// One `configure({ strings })` override reaches every element: see NoSharedKeys.
export type LineKeysDistinct = NoSharedKeys<LineStringKey & (StringKey | PlayerStringKey)>;

export const lineDe: LineStrings = {
  lineTitle: 'Warteschlange',
  lineJoin: 'In die Warteschlange',
  lineJoining: 'Trete bei…',
  lineOpensAt: 'Die Warteschlange öffnet {time}.',
  lineFair: 'Wer bis zum Start dabei ist, bekommt einen zufälligen Platz: Früher beitreten bringt keinen Vorteil.',
  lineAfterDraw: 'Die Plätze wurden zum Start verlost. Wer jetzt beitritt, stellt sich in der Reihenfolge der Ankunft dahinter an.',
  lineJoined: 'Du bist in der Warteschlange. Die Plätze werden zum Start zufällig verlost.',
  lineDrawing: 'Die Plätze werden verlost…',
  linePlace: 'Platz {n} von {total}',
  lineAhead: '{n} vor dir, etwa {time}',
  lineAheadPaused: '{n} vor dir. Der Einlass ist pausiert.',
  lineLate: 'Du bist nach der Verlosung beigetreten und stehst hinter allen, die rechtzeitig da waren.',
  lineTurn: 'Du bist dran! Reserviere innerhalb von {time}.',
  lineMissed: 'Du hast deinen Einlass verpasst.',
  lineCommitment: 'Verpflichtung der Verlosung {hash}',
  lineSeed: 'Startwert veröffentlicht: Prüfe die Verlosung mit verify-draw.',
  lineError: 'Die Warteschlange ist nicht erreichbar.',
};

/** A line text in `lang` (a BCP 47 tag), with the site's overrides and `{name}` placeholders filled in. */
export const lineText = textLookup({ en: lineEn, de: lineDe });
