/** Runs `body` while collecting what the page writes with `console[method]`; returns the lines. */
export async function consoleLines(method: 'error' | 'warn', body: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const real = console[method];
  console[method] = (...args: unknown[]) => lines.push(args.join(' '));
  try {
    await body();
  } finally {
    console[method] = real;
  }
  return lines;
}
