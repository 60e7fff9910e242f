/**
 * Polls until a condition holds, with a generous deadline so a loaded
 * machine does not make tests flaky; the message says what never happened.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  message: string | (() => string),
  timeout = 8_000,
  interval = 50,
): Promise<void> {
  const deadline = performance.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting until ${typeof message === 'function' ? message() : message}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
