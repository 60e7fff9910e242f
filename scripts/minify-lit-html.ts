/**
 * Build-time minification of the markup inside Lit `html` tagged templates,
 * the step Lit's docs recommend for production builds: the JS minifier keeps
 * template text as written, indentation and all. HTML renders a run of
 * whitespace as one space, so every run that contains a line break becomes a
 * single space: what the browser shows is unchanged (no template of ours uses
 * `<pre>` or `white-space: pre`), only the bytes go. Runs without a line break
 * are left alone, and so is everything beside a `${…}`.
 */
import ts from 'typescript';
import type { Plugin } from 'vite';

/** Collapses every whitespace run with a line break in one static piece of an html template to a single space. */
export function minifyHtmlText(raw: string): string {
  return raw.replace(/[ \t]*(?:\r?\n[ \t]*)+/g, ' ');
}

/** Rewrites every html`…` template in a TypeScript/JavaScript module; undefined when there is none. */
export function minifyLitHtml(code: string, fileName: string): string | undefined {
  if (!code.includes('html`')) return undefined;
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'html') {
      const t = node.template;
      const pieces = ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((s) => s.literal)];
      for (const piece of pieces) {
        // The raw text between the delimiters: ` or } before, ` or ${ after.
        const start = piece.getStart(source) + 1;
        const end = piece.getEnd() - (piece.kind === ts.SyntaxKind.TemplateHead || piece.kind === ts.SyntaxKind.TemplateMiddle ? 2 : 1);
        edits.push({ start, end, text: minifyHtmlText(code.slice(start, end)) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!edits.length) return undefined;
  let result = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, e.start) + e.text + result.slice(e.end);
  return result;
}

export function minifyLitHtmlPlugin(): Plugin {
  return {
    name: 'live-drop:minify-lit-html',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id.split('?')[0])) return null;
      const result = minifyLitHtml(code, id);
      return result === undefined ? null : { code: result, map: null };
    },
  };
}
