/**
 * Build-time minification of the CSS inside Lit `css` tagged templates.
 * Lit ships styles as template strings, so the JS minifier keeps every
 * space and comment of them; this removes comments and the whitespace CSS
 * does not need. Only the literal text between interpolations changes:
 * the whitespace beside a `${…}` is kept (it may separate two values), and
 * quoted strings in the CSS are left alone.
 */
import ts from 'typescript';
import type { Plugin } from 'vite';

/** Minifies one static piece of a css template (raw source text, escapes untouched). */
export function minifyCssText(raw: string, { first = true, last = true } = {}): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '/' && raw[i + 1] === '*') {
      const end = raw.indexOf('*/', i + 2);
      i = end < 0 ? raw.length : end + 2;
      out += ' '; // a comment separates tokens like whitespace does
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < raw.length && raw[j] !== c) j += raw[j] === '\\' ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  // Work on the text outside quoted strings only.
  const parts = out.split(/('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")/);
  for (let p = 0; p < parts.length; p += 2) {
    parts[p] = parts[p]
      .replace(/\s+/g, ' ')
      // Not around commas: inside var() and custom properties the browser keeps that
      // whitespace as written, so removing it would change what getPropertyValue() returns.
      .replace(/ ?([{};]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}');
  }
  let result = parts.join('');
  // Beside an interpolation a space may separate two values: keep one there.
  if (first) result = result.replace(/^ /, '');
  if (last) result = result.replace(/ $/, '');
  return result;
}

/** Rewrites every css`…` template in a TypeScript/JavaScript module; undefined when there is none. */
export function minifyLitCss(code: string, fileName: string): string | undefined {
  if (!code.includes('css`')) return undefined;
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'css') {
      const t = node.template;
      // Raw text spans of each literal piece, without the delimiters `  ${  }.
      const pieces = ts.isNoSubstitutionTemplateLiteral(t)
        ? [{ node: t, open: 1, close: 1 }]
        : [
            { node: t.head, open: 1, close: 2 },
            ...t.templateSpans.map((s) => ({
              node: s.literal,
              open: 1,
              close: ts.isTemplateTail(s.literal) ? 1 : 2,
            })),
          ];
      pieces.forEach(({ node: piece, open, close }, index) => {
        const start = piece.getStart(source) + open;
        const end = piece.getEnd() - close;
        const text = minifyCssText(code.slice(start, end), { first: index === 0, last: index === pieces.length - 1 });
        edits.push({ start, end, text });
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!edits.length) return undefined;
  let result = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}

export function minifyLitCssPlugin(): Plugin {
  return {
    name: 'live-drop:minify-lit-css',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id.split('?')[0])) return null;
      const result = minifyLitCss(code, id);
      return result === undefined ? null : { code: result, map: null };
    },
  };
}
