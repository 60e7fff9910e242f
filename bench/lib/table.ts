/** Prints the benchmarks' results as plain aligned tables. */

export type Cell = string | number;

/** Formats a number for a table: integers as is, others with `digits` decimals; NaN as `–`. */
export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return '–';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

/** Prints a title, a header row and the rows; the first column is left-aligned, the others right-aligned. */
export function printTable(title: string, header: string[], rows: Cell[][]): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

/** One goal an issue sets, the figure this run measured for it, and whether that meets it. */
export interface Goal {
  goal: string;
  figure: string;
  met: boolean;
  /** What limits the figure, printed when the goal is not met (bench/RESULTS.md has the measurements behind it). */
  limit?: string;
}

/** Prints every goal as `met` or `NOT met` with this run's figure, so a run says for itself where it stands. */
export function printGoals(title: string, goals: Goal[]): void {
  console.log(`\n${title}`);
  for (const g of goals) {
    const limit = !g.met && g.limit ? `\n             limited by ${g.limit}` : '';
    console.log(`  ${g.met ? 'met    ' : 'NOT met'}  ${g.goal}: ${g.figure}${limit}`);
  }
}
