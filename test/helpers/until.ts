/**
 * Polls until a condition holds, with a generous deadline so a loaded
 * machine does not make tests flaky; the message says what never happened.
 * Resolves with what the condition returned, so a wait can hand back what it
 * waited for (a button, a track).
 */
/** What a condition returns when it holds. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export async function until<T>(
  condition: () => T | Promise<T>,
  message: string | (() => string),
  timeout = 8_000,
  interval = 50,
): Promise<Truthy<T>> {
  const deadline = performance.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value as Truthy<T>;
    if (performance.now() > deadline)
      throw new Error(`Timed out after ${timeout} ms waiting until ${typeof message === 'function' ? message() : message}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
