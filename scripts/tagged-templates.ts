/**
 * Finding and rewriting the literal text of tagged templates (Lit's css`…`
 * and html`…`) in a module, for the build's template minifiers. Only the
 * text between interpolations is ever touched, never a `${…}`.
 */
import ts from 'typescript';

/** One literal piece of a template: its raw text's span in the module, and whether it starts or ends the template. */
export interface TemplatePiece {
  start: number;
  end: number;
  first: boolean;
  last: boolean;
}

/** The literal pieces of every tag`…` template in a module, in source order, without the delimiters `  ${  }. */
export function templatePieces(code: string, fileName: string, tag: string): TemplatePiece[] {
  if (!code.includes(`${tag}\``)) return [];
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const spans: TemplatePiece[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === tag) {
      const t = node.template;
      // Each piece's text lies between ` or } before it and ` or ${ after it.
      const pieces = ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((s) => s.literal)];
      pieces.forEach((piece, index) => {
        const close = ts.isTemplateHead(piece) || ts.isTemplateMiddle(piece) ? 2 : 1;
        spans.push({
          start: piece.getStart(source) + 1,
          end: piece.getEnd() - close,
          first: index === 0,
          last: index === pieces.length - 1,
        });
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans.sort((a, b) => a.start - b.start);
}

/** Replaces the text of every piece of every tag`…` template with `rewrite`'s; undefined when the module has none. */
export function rewriteTemplates(
  code: string,
  fileName: string,
  tag: string,
  rewrite: (raw: string, piece: TemplatePiece) => string,
): string | undefined {
  const pieces = templatePieces(code, fileName, tag);
  if (!pieces.length) return undefined;
  let result = code;
  for (const piece of pieces.reverse())
    result = result.slice(0, piece.start) + rewrite(code.slice(piece.start, piece.end), piece) + result.slice(piece.end);
  return result;
}

/** Whether a module id Vite transforms is one of our sources (src/**.ts), the only ones the minifiers rewrite. */
export const isSourceModule = (id: string) => /\/src\/.*\.ts$/.test(id.split('?')[0]);
