/**
 * For the player's tests: shadow-DOM lookups, a wait that hands back what
 * it waited for (a button, a track) or says what never happened, and a wait
 * for playback to move on.
 */
import type { LiveDropPlayer } from '../../src/elements/live-drop-player/live-drop-player.js';
import { until as poll } from './until.js';

/** The shared `until` with what it waits for first, and 30 s by default: live video can be slow to start. */
export const until = <T>(what: string, probe: () => T, timeoutMs = 30_000) => poll(probe, what, timeoutMs);

export const $ = (el: LiveDropPlayer, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
export const video = (el: LiveDropPlayer) => $(el, 'video') as HTMLVideoElement;

/** Resolves once playback has advanced by `seconds` from the moment this is called. */
export async function advances(el: LiveDropPlayer, seconds = 1, timeoutMs = 30_000) {
  await until('the video plays', () => video(el).currentTime > 0 && !video(el).paused, timeoutMs);
  const from = video(el).currentTime;
  await until(`currentTime advances by ${seconds} s`, () => video(el).currentTime >= from + seconds, timeoutMs);
}
