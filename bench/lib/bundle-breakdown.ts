/**
 * What a minified bundle is made of: its bytes attributed to the sources
 * named by its source map, grouped (lit, Floating UI, nanostores, each
 * folder of src/). Gzip works across module borders, so a group's gzip
 * figure is what leaving it out saves: gzip(all) − gzip(all without it).
 */
import { decode } from '@jridgewell/sourcemap-codec';
import { gzipSize as gzip } from './budget.js';

export interface BreakdownRow {
  group: string;
  min: number;
  /** gzip bytes the bundle would lose without this group. */
  gzip: number;
}

interface SourceMap {
  sources: string[];
}

/** The group a source belongs to: an npm package, or `src/<folder>`. */
export function groupOf(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1];
  if (pkg)
    return pkg.startsWith('@floating-ui/')
      ? 'Floating UI'
      : pkg.startsWith('@lit/') || pkg === 'lit-html' || pkg === 'lit-element' || pkg === 'lit'
        ? 'lit'
        : pkg;
  const local = /(?:^|\/)src\/(.+)$/.exec(source)?.[1];
  if (!local) return '(bundler glue)';
  const parts = local.split('/');
  return parts.length === 1 ? `src/${parts[0]}` : `src/${parts.slice(0, parts[0] === 'elements' ? 2 : 1).join('/')}`;
}

export function bundleBreakdown(code: string, map: SourceMap & { mappings: string }): BreakdownRow[] {
  // Every mapped segment runs from its column to the next segment's (or the line's end).
  // Unmapped text (the inner lines of a multi-line html`` template, a bare
  // segment) belongs to the source mapped just before it.
  const pieces: { group: string; text: string }[] = [];
  const lines = code.split('\n');
  let current = '(bundler glue)';
  decode(map.mappings).forEach((segments, line) => {
    const text = `${lines[line] ?? ''}\n`;
    const starts = segments.map((s) => s[0]);
    if (starts[0] !== 0) pieces.push({ group: current, text: text.slice(0, starts[0] ?? text.length) });
    segments.forEach((seg, i) => {
      if (seg.length > 1) current = groupOf(map.sources[seg[1]!]);
      pieces.push({ group: current, text: text.slice(seg[0], starts[i + 1] ?? text.length) });
    });
  });
  const total = gzip(pieces.map((p) => p.text).join(''));
  const groups = [...new Set(pieces.map((p) => p.group))];
  return groups
    .map((group) => ({
      group,
      min: pieces.filter((p) => p.group === group).reduce((n, p) => n + p.text.length, 0),
      gzip:
        total -
        gzip(
          pieces
            .filter((p) => p.group !== group)
            .map((p) => p.text)
            .join(''),
        ),
    }))
    .sort((a, b) => b.gzip - a.gzip);
}
