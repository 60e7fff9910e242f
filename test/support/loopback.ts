/**
 * Source addresses for test and benchmark clients. The server limits what
 * one client address may do (docs/self-hosting.md); real shoppers come from
 * many addresses, so the tests and benches spread theirs over the loopback
 * block (127.0.0.2–127.0.0.254, all of which reach a server on 127.0.0.1 on
 * Linux) instead of switching the limits off.
 */
export const LOOPBACK_ADDRESSES = 253;

/** The `i`-th client's source address, cycling through 127.0.0.2–127.0.0.254. */
export function loopbackAddress(i: number): string {
  return `127.0.0.${2 + (((i % LOOPBACK_ADDRESSES) + LOOPBACK_ADDRESSES) % LOOPBACK_ADDRESSES)}`;
}
