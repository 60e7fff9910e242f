/**
 * Writes the generated blocks of the docs, between markers such as
 * `<!-- generated:events -->` … `<!-- /generated:events -->`:
 *   - the README's reference tables (elements, attributes, events, theming
 *     tokens, parts, slots) from `custom-elements.json`;
 *   - `<!-- generated:example:examples/react/main.tsx -->`: that file, verbatim,
 *     so the docs show exactly the examples the package test type-checks.
 *
 *   node --import tsx scripts/readme-tables.ts           rewrite the docs
 *   node --import tsx scripts/readme-tables.ts --check   exit 1 when one is stale
 *   … --manifest <file>                                  read another manifest (e.g. one built from HEAD)
 *
 * (`npm run build:readme` is the first; the package tests do the second.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { attributeValueType, oneLine, readElements, root, type ElementEvent, type ElementInfo } from './manifest.js';

const cell = (text: string | undefined) => oneLine(text ?? '').replace(/\|/g, '\\|') || ' ';
const code = (text: string) => '`' + text.replace(/\|/g, '\\|') + '`';

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '_None yet._';
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Rows for one element list per element; `where` names the element when a row may apply to several. */
function perElement<T>(elements: ElementInfo[], pick: (e: ElementInfo) => T[], row: (item: T, e: ElementInfo) => string[]) {
  return elements.flatMap((e) => pick(e).map((item) => row(item, e)));
}

/** A token used by several elements gets one row, with what it does in each. */
function tokensTable(elements: ElementInfo[]): string {
  const byName = new Map<string, { defaults: Set<string>; uses: Map<string, string[]> }>();
  for (const e of elements) {
    for (const p of e.cssProperties) {
      const entry = byName.get(p.name) ?? { defaults: new Set<string>(), uses: new Map<string, string[]>() };
      if (p.default) entry.defaults.add(p.default);
      const description = oneLine(p.description ?? '');
      entry.uses.set(description, [...(entry.uses.get(description) ?? []), `\`<${e.tagName}>\``]);
      byName.set(p.name, entry);
    }
  }
  const rows = [...byName].map(([name, t]) => {
    const uses = [...t.uses].map(([description, tags]) =>
      t.uses.size > 1 ? `${tags.join(', ')}: ${cell(description)}` : cell(description),
    );
    const tags = [...t.uses.values()].flat();
    return [code(name), [...t.defaults].map(code).join(', ') || ' ', uses.join('<br>'), tags.join(', ')];
  });
  // Without any `@cssprop [--x=default]` in the JSDoc, a column of blanks says nothing.
  if (rows.every((r) => r[1] === ' '))
    return table(
      ['custom property', 'what it styles', 'used by'],
      rows.map((r) => [r[0], r[2], r[3]]),
    );
  return table(['custom property', 'default', 'what it styles', 'used by'], rows);
}

/** The event's `detail`: from its type, else from a `` `detail: {…}` `` note in its JSDoc (then cut from the description). */
function eventRow(event: ElementEvent): [detail: string, description: string] {
  const description = oneLine(event.description ?? '');
  const typed = /^CustomEvent<(.+)>$/s.exec(event.type?.text.trim() ?? '')?.[1];
  if (typed) return [code(oneLine(typed)), cell(description)];
  const noted = /\s*`detail: ([^`]+)`\.?/.exec(description);
  if (noted) return [code(noted[1]), cell(description.replace(noted[0], ''))];
  return [' ', cell(description)];
}

export function tables(elements: ElementInfo[]): Record<string, string> {
  const tag = (e: ElementInfo) => `\`<${e.tagName}>\``;
  return {
    elements: table(
      ['element', 'what it does'],
      elements.map((e) => [tag(e), cell(e.summary)]),
    ),
    attributes: table(
      ['element', 'attribute', 'type', 'description'],
      perElement(
        elements,
        (e) => e.attributes,
        (a, e) => [tag(e), code(a.name), code(attributeValueType(a)), cell(a.description)],
      ),
    ),
    events: table(
      ['element', 'event', '`detail`', 'description'],
      perElement(
        elements,
        (e) => e.events,
        (ev, e) => [tag(e), code(ev.name), ...eventRow(ev)],
      ),
    ),
    tokens: tokensTable(elements),
    parts: table(
      ['element', 'part', 'description'],
      perElement(
        elements,
        (e) => e.cssParts,
        (p, e) => [tag(e), code(p.name), cell(p.description)],
      ),
    ),
    slots: table(
      ['element', 'slot', 'description'],
      perElement(
        elements,
        (e) => e.slots,
        (s, e) => [tag(e), s.name ? code(s.name) : '(default)', cell(s.description)],
      ),
    ),
  };
}

/** The documents with generated blocks. */
export const DOCS = ['README.md', 'docs/frameworks.md'];

const FENCE: Record<string, string> = { '.tsx': 'tsx', '.ts': 'ts', '.html': 'html', '.js': 'js', '.json': 'json' };

function example(path: string): string {
  const text = readFileSync(`${root}${path}`, 'utf8').replace(/\s+$/, '');
  return `\`\`\`${FENCE[extname(path)] ?? ''}\n${text}\n\`\`\``;
}

/** A document's text with every generated block rewritten; throws on an unknown block. */
export function withGenerated(doc: string, generated: Record<string, string>): string {
  return doc.replace(/<!-- generated:([\w./:-]+) -->[\s\S]*?<!-- \/generated:\1 -->/g, (_, name: string) => {
    const body = name.startsWith('example:') ? example(name.slice('example:'.length)) : generated[name];
    if (body === undefined) throw new Error(`unknown generated block "${name}"`);
    return `<!-- generated:${name} -->\n${body}\n<!-- /generated:${name} -->`;
  });
}

/** Each document as it is and as it should be. */
export function renderDocs(manifest?: string): { file: string; current: string; expected: string }[] {
  const generated = tables(readElements(manifest));
  return DOCS.map((file) => {
    const current = readFileSync(`${root}${file}`, 'utf8');
    return { file, current, expected: withGenerated(current, generated) };
  });
}

if (process.argv[1]?.endsWith('readme-tables.ts')) {
  const at = process.argv.indexOf('--manifest');
  const stale = renderDocs(at > 0 ? process.argv[at + 1] : undefined).filter((d) => d.current !== d.expected);
  if (process.argv.includes('--check')) {
    if (stale.length) {
      console.error(`Stale generated docs: ${stale.map((d) => d.file).join(', ')}. Run \`npm run build:readme\` and commit them.`);
      process.exit(1);
    }
    console.log('Generated docs are up to date.');
  } else {
    for (const d of stale) writeFileSync(`${root}${d.file}`, d.expected);
    console.log(stale.length ? `Rewrote ${stale.map((d) => d.file).join(', ')}.` : 'Generated docs already up to date.');
  }
}
