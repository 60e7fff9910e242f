/**
 * Fault injection: the visitor's clock is hours off. Import this FIRST in a
 * test file (before anything reads the time), so every `Date.now()` and
 * `new Date()` in the page is shifted; the server's clock is not.
 */
export const SKEW_MS = -3 * 3_600_000 - 17_000;

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);

class SkewedDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(realNow() + SKEW_MS);
    else super(...(args as [string]));
  }
  static override now() {
    return realNow() + SKEW_MS;
  }
}

globalThis.Date = SkewedDate as DateConstructor;

/** The true time, for the test's own bookkeeping. */
export const trueNow = realNow;
