/**
 * Fault injection at the page's network boundary: while `body` runs,
 * `window.fetch` is `wrap(realFetch)`, e.g. a wrapper that lets a request
 * reach the server and then loses the answer. The real fetch comes back after.
 */
export async function withFetch<T>(wrap: (realFetch: typeof fetch) => typeof fetch, body: () => Promise<T>): Promise<T> {
  const realFetch = window.fetch;
  window.fetch = wrap(realFetch);
  try {
    return await body();
  } finally {
    window.fetch = realFetch;
  }
}
