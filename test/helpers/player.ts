/**
 * For the player's tests: shadow-DOM lookups, a wait that hands back what
 * it waited for (a button, a track) or says what never happened, and a wait
 * for playback to move on.
 */
import type { LiveDropPlayer } from '../../src/elements/live-drop-player/live-drop-player.js';

export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const $ = (el: LiveDropPlayer, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
export const video = (el: LiveDropPlayer) => $(el, 'video') as HTMLVideoElement;

/** Resolves once playback has advanced by `seconds` from the moment this is called. */
export async function advances(el: LiveDropPlayer, seconds = 1, timeoutMs = 30_000) {
  await until('the video plays', () => video(el).currentTime > 0 && !video(el).paused, timeoutMs);
  const from = video(el).currentTime;
  await until(`currentTime advances by ${seconds} s`, () => video(el).currentTime >= from + seconds, timeoutMs);
}
